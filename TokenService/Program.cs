using ConcertBooking.TokenService.Data;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Database;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.UserReplica;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<TokenDbContext, PostgresTokenDbContext, SqlServerTokenDbContext>();
builder.AddUserReplica<TokenDbContext>();
builder.AddMessaging<TokenDbContext>(bus => bus.AddUserReplicaConsumers());

var app = builder.Build();
app.MapServiceDefaults();
app.MapOpsApi(ops => ops.MapMessagingOps());
app.MapUserReplicaApi();
app.Run();
