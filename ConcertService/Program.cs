using ConcertBooking.ConcertService;
using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Database;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.UserReplica;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceAuthentication();
builder.AddServiceDatabase<ConcertDbContext, PostgresConcertDbContext, SqlServerConcertDbContext>();
builder.AddUserReplica<ConcertDbContext>();
builder.AddMessaging<ConcertDbContext>(bus =>
{
    bus.AddUserReplicaConsumers();
    bus.AddConcertConsumers();
});
builder.AddConcertDomain();

var app = builder.Build();
app.MapServiceDefaults();
app.MapOpsApi(ops => ops.MapMessagingOps());
app.MapUserReplicaApi();
app.MapConcertsApi();
app.MapReservationsApi();
app.MapPaymentFailuresApi();
app.Run();
