using System.ComponentModel.DataAnnotations;
using ConcertBooking.Tools.KafkaDevBroker;

// Kafka for `make up TRANSPORT=kafka` and the process-level fault suite on a machine without a Kafka broker:
// librdkafka's mock cluster in this process, the system's topics created, the address written for the scripts,
// and a loopback control endpoint to take its brokers down and up. In memory only: it keeps nothing on disk.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Configuration.AddCommandLine(args, DevBrokerOptions.Switches.ToDictionary());
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
var options = builder.Configuration.Get<DevBrokerOptions>() ?? new DevBrokerOptions();
Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
builder.WebHost.UseUrls($"http://127.0.0.1:{options.ControlPort}");

using var broker = new DevBroker(options.Brokers, options.Partitions);
builder.Services.AddSingleton(broker);
var app = builder.Build();

app.MapGet("/", (DevBroker b) => b.Status());
app.MapPost("/brokers/down", (DevBroker b) => SetBrokers(b, up: false, null));
app.MapPost("/brokers/up", (DevBroker b) => SetBrokers(b, up: true, null));
app.MapPost("/brokers/{id:int}/down", (DevBroker b, int id) => SetBrokers(b, up: false, id));
app.MapPost("/brokers/{id:int}/up", (DevBroker b, int id) => SetBrokers(b, up: true, id));
app.MapPost("/topics/{name}", (DevBroker b, string name, int? partitions) =>
{
    try
    {
        return Results.Ok(b.CreateTopic(name, partitions));
    }
    catch (InvalidOperationException exception)
    {
        return Results.Conflict(exception.Message); // the mock refused it: it exists already
    }
});

await app.StartAsync();
var state = new StateFiles(Path.GetFullPath(options.StateDirectory));
var control = app.Urls.First();
state.Write(broker.BootstrapServers, control);
app.Logger.LogInformation(
    "Kafka dev broker (librdkafka mock cluster, in memory only): bootstrap {BootstrapServers}, control {ControlUrl}, {Topics} topics; address in {StateDirectory}",
    broker.BootstrapServers, control, broker.Topics.Count, Path.GetFullPath(options.StateDirectory));

if (options.StopOnStdinClose)
{
    // Started by a test: when that process ends, so does its standard input, and so does this broker.
    _ = Task.Run(async () =>
    {
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        app.Lifetime.StopApplication();
    });
}

try
{
    await app.WaitForShutdownAsync();
}
finally
{
    state.Delete(); // a stopped broker leaves no address behind for the scripts to find
}

static IResult SetBrokers(DevBroker broker, bool up, int? id)
{
    try
    {
        broker.Set(up, id);
        return Results.Ok(broker.Status());
    }
    catch (ArgumentOutOfRangeException exception)
    {
        return Results.NotFound(exception.Message);
    }
}
