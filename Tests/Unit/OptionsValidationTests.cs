using ConcertBooking.ConcertService.Data;
using ConcertBooking.PaymentService.Data;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.TokenService.Data;
using ConcertBooking.UserService.Data;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// A bad setting, nested ones included, stops a service at start-up with a message that names its key, the way an
/// operator writes it. Nothing here reaches the broker or the database: options are validated before any hosted
/// service (migrator, bus) starts.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class OptionsValidationTests
{
    [TestCase("Messaging:Outbox:BatchSize", "0")]
    [TestCase("Messaging:Outbox:ConcurrentBatches", "0")]
    [TestCase("Messaging:Consumers:ConcurrentMessageLimit", "0")]
    [TestCase("Messaging:Inbox:CleanupInterval", "00:00:00")]
    [TestCase("Messaging:RabbitMq:Port", "0")]
    [TestCase("Database:MaxAutoPrepare", "-1")]
    [TestCase("Http:MaxRequestBodyBytes", "0")]
    [TestCase("Http:MaxJsonDepth", "1000")]
    [TestCase("Http:MaxConcurrentActions", "0")]
    [TestCase("Http:MaxQueuedActions", "-1")]
    [TestCase("RateLimits:SignUp:PermitsPerAddress", "0")]
    [TestCase("RateLimits:Payment:PermitsPerUser", "-1")]
    [TestCase("RateLimits:QueueEntry:Window", "00:00:00")]
    [TestCase("ForwardedHeaders:KnownProxies:0", "not-an-address")]
    public void Any_service_does_not_start_with_a_messaging_database_http_or_rate_limit_setting_out_of_range(string key, string value) =>
        AssertStartupRefused<UserDbContext>("users", key, value);

    [Test]
    public void ConcertService_does_not_start_with_a_demo_concert_of_no_seats_per_row() =>
        AssertStartupRefused<ConcertDbContext>("concert", "Concerts:Demo:0:SeatsPerRow", "0");

    [Test]
    public void ConcertService_does_not_start_with_a_hold_time_of_zero() =>
        AssertStartupRefused<ConcertDbContext>("concert", "Reservations:HoldTime", "00:00:00");

    [Test]
    public void PaymentService_does_not_start_with_a_maximum_charge_of_zero() =>
        AssertStartupRefused<PaymentDbContext>("payment", "Wallets:MaxCharge", "0");

    [TestCase("Payments:Grace", "-00:00:01")]
    [TestCase("Payments:ReconcileInterval", "00:00:00")]
    [TestCase("Payments:ReconcileBatchSize", "0")]
    public void PaymentService_does_not_start_with_a_payment_setting_out_of_range(string key, string value) =>
        AssertStartupRefused<PaymentDbContext>("payment", key, value);

    [TestCase("Reservations:ExpiryGrace", "-00:00:01")]
    [TestCase("Reservations:SeatSuggestions", "-1")]
    [TestCase("Reservations:SeatSuggestions", "51")]
    [TestCase("Reservations:SeatSuggestionsMaxAge", "00:01:00")]
    public void ConcertService_does_not_start_with_a_reservation_setting_out_of_range(string key, string value) =>
        AssertStartupRefused<ConcertDbContext>("concert", key, value);

    [TestCase("Queue:AdmissionLifetime", "-00:00:01")]
    [TestCase("Queue:WaitingTokenLifetime", "00:00:00")]
    [TestCase("Queue:ExpiredTokenRetention", "00:00:00")]
    [TestCase("Queue:PurgeInterval", "00:00:00")]
    public void TokenService_does_not_start_with_a_queue_setting_out_of_range(string key, string value) =>
        AssertStartupRefused<TokenDbContext>("token", key, value);

    [Test]
    public void TokenService_does_not_start_with_a_short_entry_pass_key() =>
        AssertStartupRefused<TokenDbContext>("token", "EntryPass:SigningKey", "too-short");

    private static void AssertStartupRefused<TEntryPoint>(string service, string key, string value)
        where TEntryPoint : class
    {
        var witness = new StartupValidationWitness();
        using var host = new ServiceHost<TEntryPoint>(
            service,
            new Dictionary<string, string?>
            {
                ["Database:MigrateOnStartup"] = "false",
                [key] = value,
            },
            witness.Watch);

        // Either the refusal itself, or the disposed host when the entry point's failure wins the factory's start race.
        var thrown = Assert.Catch(() => _ = host.Services);

        var refused = thrown as OptionsValidationException ?? witness.Refusal;
        Assert.That(refused, Is.Not.Null, $"start-up failed, but not by validation: {thrown}");
        Assert.That(refused!.Message, Does.Contain(key));
    }
}
