using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Database;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.UserService.Data;
using ConcertBooking.UserService.Users;
using FluentValidation;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<UserDbContext, PostgresUserDbContext, SqlServerUserDbContext>();
builder.AddMessaging<UserDbContext>();
builder.Services.AddValidatorsFromAssemblyContaining<SignUpRequestValidator>(includeInternalTypes: true);

var app = builder.Build();
app.MapServiceDefaults();
app.MapOpsApi(ops => ops.MapMessagingOps().MapUserRepublish());
app.MapUsersApi();
app.Run();
