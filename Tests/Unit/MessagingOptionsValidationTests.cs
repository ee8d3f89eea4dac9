using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Unit;

[TestFixture]
[Category(TestCategories.Unit)]
public sealed class MessagingOptionsValidationTests
{
    [TestCase("Messaging:Outbox:BatchSize", "0")]
    [TestCase("Messaging:Consumers:ConcurrentMessageLimit", "0")]
    [TestCase("Messaging:Inbox:CleanupInterval", "00:00:00")]
    [TestCase("Messaging:RabbitMq:Port", "0")]
    public void A_nested_setting_out_of_range_stops_the_service_at_start_naming_the_key(string key, string value)
    {
        using var host = new ServiceHost<UserDbContext>("users", new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = PostgresDatabases.ConnectionString(PostgresDatabases.NewName("options")),
            ["Database:MigrateOnStartup"] = "false",
            [key] = value,
        });

        var failure = Assert.Throws<OptionsValidationException>(() => _ = host.Services);

        Assert.That(failure!.Message, Does.Contain(key));
    }
}
