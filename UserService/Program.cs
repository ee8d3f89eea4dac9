using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Database;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.UserService;
using ConcertBooking.UserService.Data;
using ConcertBooking.UserService.Identity;
using ConcertBooking.UserService.Users;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<UserDbContext, PostgresUserDbContext, SqlServerUserDbContext>();
builder.AddMessaging<UserDbContext>();
builder.AddIdentityIssuer();
builder.AddServiceAuthentication<SigningKeyRing>();
builder.AddUserDomain();

var app = builder.Build();
app.MapServiceDefaults();
app.MapOpsApi(ops => ops.MapMessagingOps().MapUserRepublish());
app.MapSignInApi();
app.MapUsersApi();
app.Run();
