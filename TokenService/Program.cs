using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Database;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.TokenService.Data;
using ConcertBooking.TokenService.Queue;
using ConcertBooking.UserReplica;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceAuthentication();
builder.AddServiceDatabase<TokenDbContext, PostgresTokenDbContext, SqlServerTokenDbContext>();
builder.AddUserReplica<TokenDbContext>();
builder.AddMessaging<TokenDbContext>(bus =>
{
    bus.AddUserReplicaConsumers();
    bus.AddQueueConsumers();
});
builder.AddQueueDomain();

var app = builder.Build();
app.MapServiceDefaults();
app.MapOpsApi(ops => ops.MapMessagingOps());
app.MapUserReplicaApi();
app.MapQueueApi();
app.Run();
