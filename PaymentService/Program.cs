using ConcertBooking.Messaging.Hosting;
using ConcertBooking.Database;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.PaymentService;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.PaymentService.Wallets;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.UserReplica;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceAuthentication();
builder.AddServiceDatabase<PaymentDbContext, PostgresPaymentDbContext, SqlServerPaymentDbContext>();
builder.AddUserReplica<PaymentDbContext>();
builder.AddMessaging<PaymentDbContext>(bus =>
{
    bus.AddUserReplicaConsumers();
    bus.AddPaymentConsumers();
});
builder.AddPaymentDomain();

var app = builder.Build();
app.MapServiceDefaults();
app.MapOpsApi(ops => ops.MapMessagingOps());
app.MapUserReplicaApi();
app.MapWalletsApi();
app.MapPaymentsApi();
app.Run();
