using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.Messaging.Operations;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.UserService.Data;
using ConcertBooking.UserService.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Tests.Integration;

/// <summary>What an operator relies on: readiness, metrics, traces, dead letters with replay, republish, the ops API.</summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class OperationsTests
{
    private static readonly string ApiKey = TestSecrets.OpsApiKey;
    private static readonly KeyValuePair<string, string?>[] WithOpsKey = [new("Ops:ApiKey", ApiKey)];

    [Test]
    public async Task The_ops_api_is_absent_without_a_configured_key_and_needs_the_key_when_configured()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service => service == "concert" ? WithOpsKey : [],
        });
        using var users = system.Users.CreateClient();
        using var concert = system.Concert.CreateClient();

        Assert.That((await users.GetAsync("/ops/outbox")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no key, no API");
        Assert.That((await concert.GetAsync("/ops/outbox")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await concert.GetAsync($"/ops/outbox?apiKey={Uri.EscapeDataString(ApiKey)}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
            "the key counts in the X-Api-Key header only, never in a URL");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/ops/outbox") { Headers = { { "X-Api-Key", ApiKey + "x" } } };
        Assert.That((await concert.SendAsync(wrong)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var right = new HttpRequestMessage(HttpMethod.Get, "/ops/outbox") { Headers = { { "X-Api-Key", ApiKey } } };
        var status = await concert.SendAsync(right);
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await status.Content.ReadFromJsonAsync<OutboxStatus>())!.Pending, Is.Zero);
    }

    [Test]
    public async Task Readiness_fails_while_the_database_is_away_and_recovers_after()
    {
        // A broker outage does not touch readiness: HealthEndpointTests.
        await using var database = new TcpProxy(PostgresDatabases.Server.Host!, PostgresDatabases.Server.Port);
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            PostgresPort = service => service == "concert" ? database.Port : null,
        });
        using var concert = system.Concert.CreateClient();
        await ReadyAsync(concert, HttpStatusCode.OK, "ready at start");

        database.Cut();
        TestContext.Out.WriteLine("Injected: database connection cut");
        await ReadyAsync(concert, HttpStatusCode.ServiceUnavailable, "not ready without the database");
        database.Restore();
        await ReadyAsync(concert, HttpStatusCode.OK, "ready again with the database back");
        TestContext.Out.WriteLine("Verified: /health/ready followed the outage; /health/live stayed 200");
        Assert.That((await concert.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Metrics_name_the_messaging_instruments_after_traffic()
    {
        await using var system = await ConcertBookingSystem.StartAsync();
        using var users = system.Users.CreateClient();
        var user = await users.SignUpAsync("Metered");
        await system.AllReplicasReachAsync(user.Id, 1);
        using var concert = system.Concert.CreateClient();

        var userMetrics = await Eventually.Until(() => users.GetStringAsync("/metrics"),
            text => text.Contains("outbox_published") && text.Contains("outbox_pending"), "UserService's outbox metrics");
        var concertMetrics = await Eventually.Until(() => concert.GetStringAsync("/metrics"),
            text => text.Contains("replication_lag") && text.Contains("inbox_consumed"), "ConcertService's inbox metrics");

        Assert.Multiple(() =>
        {
            Assert.That(userMetrics, Does.Contain("outbox_publish_duration").And.Contain("outbox_oldest_pending_age"));
            Assert.That(concertMetrics, Does.Contain("replication_lag_milliseconds_bucket"));
            // MassTransit's own meter is process-wide state, which hosts sharing this test process disturb;
            // the fault suite checks it on a service running as its own process.
        });
    }

    [Test]
    public async Task One_trace_spans_the_signup_request_and_the_replica_consumers()
    {
        var seen = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "MassTransit" or "ConcertBooking.Messaging" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (seen) { seen.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var system = await ConcertBookingSystem.StartAsync();
        using var users = system.Users.CreateClient();
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/users")
        {
            Content = JsonContent.Create(new { name = "Traced", email = UserApiClient.UniqueEmail("traced"), password = UserApiClient.Password }),
            Headers = { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01" } },
        };

        var response = await users.SendAsync(request);
        var user = (await response.Content.ReadFromJsonAsync<UserResponse>())!;
        await system.AllReplicasReachAsync(user.Id, 1);

        var consumers = await Eventually.Until(() =>
        {
            lock (seen)
            {
                return Task.FromResult(seen.Where(a => a.TraceId == traceId && a.Kind == ActivityKind.Consumer).ToList());
            }
        }, list => list.Count >= 3, "consume activities of the three replicas in the request's trace");
        TestContext.Out.WriteLine($"Verified: trace {traceId} has {consumers.Count} consumer spans: "
            + string.Join(", ", consumers.Select(a => a.DisplayName)));
        lock (seen)
        {
            Assert.That(seen.Any(a => a.TraceId == traceId && a.Source.Name == "ConcertBooking.Messaging"), "the relay's span joins the trace");
        }
    }

    [Test]
    public async Task Dead_letters_while_the_broker_is_unreachable_answer_503_not_a_500()
    {
        await using var broker = new TcpProxy(TestEnvironment.RabbitMqHost, TestEnvironment.RabbitMqPort);
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            RabbitMqPort = service => service == "concert" ? broker.Port : TestEnvironment.RabbitMqPort,
            Settings = service => service == "concert" ? WithOpsKey : [],
        });
        using var concert = system.Concert.CreateClient();
        concert.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

        broker.Cut();
        using var refused = await concert.PostAsync("/ops/dead-letters/replay", null);
        var refusal = await refused.Content.ReadAsStringAsync();
        using var unlisted = await concert.GetAsync("/ops/dead-letters");
        broker.Restore();
        using var replayed = await concert.PostAsync("/ops/dead-letters/replay", null);

        TestContext.Out.WriteLine($"While the broker was unreachable: {(int)refused.StatusCode} {refusal}");
        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(unlisted.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the list, likewise");
            Assert.That(await replayed.Content.ReadFromJsonAsync<ReplayResult>(), Is.EqualTo(new ReplayResult(0, 0)), "answers again once it is back");
        });
    }

    [Test]
    public async Task A_dead_lettered_message_is_listed_with_its_reason_and_processed_once_when_replayed()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service => service == "concert" ? WithOpsKey : [],
        });
        using var users = system.Users.CreateClient();
        using var concert = system.Concert.CreateClient();
        concert.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

        await ConcertSqlAsync(system, """ALTER TABLE concert."Users" RENAME TO "UsersAway" """);
        TestContext.Out.WriteLine("Injected: ConcertService's replica table renamed away");
        var user = await users.SignUpAsync("Dead Letter");

        var letters = await Eventually.Until(() => concert.GetFromJsonAsync<List<DeadLetter>>("/ops/dead-letters")!,
            list => list!.Count > 0, "the failed UserCreated in ConcertService's error queue");
        var letter = letters!.Single();
        TestContext.Out.WriteLine($"Verified: dead letter {letter.MessageId} on {letter.Queue}: {letter.ExceptionType}: {letter.Reason}");
        Assert.That(letter.Reason, Does.Contain("UsersAway").Or.Contain("Users"));
        Assert.That(await ConcertBookingSystem.FindReplicaAsyncSafe(system.Concert.Services, user.Id), Is.Null);

        await ConcertSqlAsync(system, """ALTER TABLE concert."UsersAway" RENAME TO "Users" """);
        var replay = await concert.PostAsync($"/ops/dead-letters/{letter.MessageId}/replay", null);
        Assert.That((await replay.Content.ReadFromJsonAsync<ReplayResult>())!.Replayed, Is.EqualTo(1));

        var replica = await Eventually.Until(() => ConcertBookingSystem.FindReplicaAsync(system.Concert.Services, user.Id),
            found => found is not null, "the replayed message to reach the replica");
        Assert.Multiple(async () =>
        {
            Assert.That(replica!.Version, Is.EqualTo(1));
            Assert.That(await MessagingProbes.InboxEntriesAsync<ConcertDbContext>(system.Concert.Services, letter.MessageId!.Value), Is.EqualTo(1));
            Assert.That(await concert.GetFromJsonAsync<List<DeadLetter>>("/ops/dead-letters"), Is.Empty);
        });
    }

    [Test]
    public async Task Republish_heals_a_replica_whose_table_was_truncated()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service => service == "users" ? WithOpsKey : [],
        });
        using var users = system.Users.CreateClient();
        var signedUp = new List<UserResponse>();
        for (var i = 0; i < 5; i++)
        {
            signedUp.Add(await users.SignUpAsync($"Healed {i}"));
        }

        var owner = await users.SignInAsync(signedUp[0].Email);
        using var rename = new HttpRequestMessage(HttpMethod.Patch, $"/users/{signedUp[0].Id}")
        {
            Content = JsonContent.Create(new { name = "Healed renamed" }),
            Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", owner.AccessToken) },
        };
        var renamed = await users.SendAsync(rename);
        Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await system.AllReplicasReachAsync(signedUp[0].Id, 2);
        foreach (var user in signedUp)
        {
            await system.AllReplicasReachAsync(user.Id, 1);
        }

        await ConcertSqlAsync(system, """TRUNCATE concert."Users" """);
        TestContext.Out.WriteLine("Injected: ConcertService's replica table truncated");
        users.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var result = await (await users.PostAsync("/ops/users/republish", null)).Content.ReadFromJsonAsync<RepublishResult>();
        Assert.That(result!.Republished, Is.EqualTo(5));

        foreach (var user in signedUp)
        {
            await system.AllReplicasReachAsync(user.Id, user.Id == signedUp[0].Id ? 2 : 1);
        }

        var healed = await ConcertBookingSystem.FindReplicaAsync(system.Concert.Services, signedUp[0].Id);
        Assert.That((healed!.Name, healed.Version), Is.EqualTo(("Healed renamed", 2L)), "restored at its current version");
        var untouched = await ConcertBookingSystem.FindReplicaAsync(system.Payment.Services, signedUp[0].Id);
        Assert.That(untouched!.Version, Is.EqualTo(2), "replicas that had the user ignore the same version again");
    }

    [Test]
    public async Task A_user_deleted_while_users_are_republished_keeps_its_deletion_as_its_last_event()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions());
        using var users = system.Users.CreateClient();
        var doomed = await users.SignUpAsync("Doomed");
        await users.SignUpAsync("Kept");

        // The deletion, up to its commit: its row lock held while the republish runs.
        await using (var scope = system.Users.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<UserDbContext>();
            await using var deletion = await db.Database.BeginTransactionAsync();
            Assert.That(await scope.ServiceProvider.GetRequiredService<DeleteUser>().DeleteAsync(doomed.Id, CancellationToken.None),
                Is.InstanceOf<DeleteUserResult.Deleted>());
            var republish = Task.Run(() => system.Users.WithScopeAsync(services =>
                services.GetRequiredService<RepublishUsers>().RepublishAsync(CancellationToken.None)));
            await Eventually.Until(async () => republish.IsCompleted || await UsersWaitForALockAsync(system), "the republish done, or waiting for the deletion");
            await deletion.CommitAsync();
            await republish;
        }

        var events = await UserEventsAsync(system, doomed.Id);
        Assert.That(events[^1], Does.StartWith(typeof(UserDeleted).FullName + ","), string.Join(" → ", events));
    }

    [Test]
    public async Task A_deletion_that_waits_for_a_republish_of_its_user_has_its_event_after_the_republished_one()
    {
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions());
        using var users = system.Users.CreateClient();
        var user = await users.SignUpAsync("Waiting");

        // What a republish batch does: the user's row locked, then its current version staged, then the commit.
        await using (var scope = system.Users.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<UserDbContext>();
            await using var republish = await db.Database.BeginTransactionAsync();
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(set => set.SetProperty(u => u.Version, u => u.Version));
            var deletion = Task.Run(() => system.Users.WithScopeAsync(services =>
                services.GetRequiredService<DeleteUser>().DeleteAsync(user.Id, CancellationToken.None)));
            await Eventually.Until(async () => deletion.IsCompleted || await UsersWaitForALockAsync(system), "the deletion done, or waiting for the republish");
            scope.ServiceProvider.GetRequiredService<IOutbox>().Add(
                new UserUpdated(user.Id, user.Name, user.Email, 1, DateTimeOffset.UtcNow), user.Id.ToString());
            await db.SaveChangesAsync();
            await republish.CommitAsync();
            Assert.That(await deletion, Is.InstanceOf<DeleteUserResult.Deleted>());
        }

        var events = await UserEventsAsync(system, user.Id);
        Assert.That(events[^1], Does.StartWith(typeof(UserDeleted).FullName + ","), string.Join(" → ", events));
    }

    private static Task<bool> UsersWaitForALockAsync(ConcertBookingSystem system) =>
        system.Users.WithScopeAsync(services => LockWaits.AnyAsync(services.GetRequiredService<UserDbContext>()));

    /// <summary>A user's events in the order the relay publishes them: the last is what a compacted topic keeps of the user.</summary>
    private static Task<List<string>> UserEventsAsync(ConcertBookingSystem system, Guid userId) =>
        system.Users.WithScopeAsync(services => services.GetRequiredService<UserDbContext>().Set<OutboxMessage>()
            .Where(m => m.PartitionKey == userId.ToString()).OrderBy(m => m.Sequence).Select(m => m.MessageType).ToListAsync());

    private static async Task ReadyAsync(HttpClient client, HttpStatusCode expected, string what, TimeSpan? timeout = null) =>
        await Eventually.Until(async () => (await client.GetAsync("/health/ready")).StatusCode, s => s == expected, what, timeout);

    private static async Task ConcertSqlAsync(ConcertBookingSystem system, string sql) =>
        await system.Concert.WithScopeAsync(services =>
            services.GetRequiredService<ConcertDbContext>().Database.ExecuteSqlRawAsync(sql));
}

/// <summary>The status page as an operator sees it: rendered by a real browser from the service's own port.</summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class StatusPageTests
{
    [Test]
    public async Task The_status_page_asks_for_the_key_keeps_it_in_the_session_and_renders_backlog_lag_and_failures()
    {
        if (!HeadlessChromium.Available)
        {
            Assert.Ignore("Debian's chromium is not installed (make test installs it).");
        }

        var key = TestSecrets.OpsApiKey;
        await using var system = await ConcertBookingSystem.StartAsync(new SystemOptions
        {
            Settings = service => service == "concert" ? [new("Ops:ApiKey", key)] : [],
            RealHttp = service => service == "concert",
        });
        using var users = system.Users.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var user = await users.SignUpAsync($"Status {i}");
            await system.AllReplicasReachAsync(user.Id, 1);
        }

        var page = new Uri(system.Concert.RealAddress, "/ops/status");
        await using var browser = await StatusPageBrowser.OpenAsync(page);

        var before = await browser.DomAsync();
        Assert.That(before, Does.Not.Contain("<span id=\"service\">concert</span>"), "no data before the key is given");
        await browser.EnterKeyAsync("not-the-key");
        await browser.WaitForTextAsync("#key-message", "That key was refused.");

        await browser.EnterKeyAsync(key);
        await browser.WaitForTextAsync("#service", "concert");
        await browser.WaitForTextAsync("#lag-samples", "3");
        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ops-status-page.png");
        await browser.ScreenshotAsync(screenshot);
        TestContext.AddTestAttachment(screenshot, "ConcertService /ops/status in headless Chromium");
        var dom = await browser.DomAsync();
        var stored = await browser.SessionKeyAsync();
        await browser.ReloadAsync();
        await browser.WaitForTextAsync("#service", "concert");
        TestContext.Out.WriteLine($"Verified: {page} asked for the key, refused a wrong one, rendered with the right one and again after a reload; screenshot at {screenshot}");

        Assert.Multiple(() =>
        {
            Assert.That(browser.RequestedUrls, Has.None.Contains(key), "the key is never in a URL the page requests");
            Assert.That(browser.CurrentUrl, Does.Not.Contain(key));
            Assert.That(stored, Is.EqualTo(key), "kept in the tab's session storage");
            Assert.That(dom, Does.Contain("<b id=\"pending\">0</b>"), "the outbox backlog");
            Assert.That(dom, Does.Contain("<span id=\"lag-samples\">3</span>"), "three UserCreated consumed here");
            Assert.That(dom, Does.Match("<b id=\"lag-p99\">[0-9]+\\.[0-9]</b>"), "a replication lag percentile");
        });
    }
}
