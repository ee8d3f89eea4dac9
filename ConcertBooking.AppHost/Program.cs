using ConcertBooking.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var settings = AppHostSettings.From(builder.Configuration);
var infrastructure = builder.AddInfrastructure(settings);
builder.AddConcertBookingServices(infrastructure, settings);

builder.Build().Run();
