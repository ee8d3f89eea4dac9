using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConcertBooking.ConcertService.Data;
using ConcertBooking.Contracts;
using ConcertBooking.Tests.Infrastructure;
using ConcertBooking.TokenService.Data;
using ConcertBooking.TokenService.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// TokenService queues only for concerts it has learnt from ConcertService's events, answers a racing re-entry with
/// the token's state, and purges tokens past their retention. Each test runs a system of its own, with the queue
/// settings it needs.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class QueueTokenTests
{
    private static readonly Guid DemoConcert = Guid.Parse("0c0ce27a-0000-4000-8000-000000000001");

    [Test]
    public async Task The_concerts_seeded_in_ConcertService_reach_TokenService_s_replica_through_the_outbox()
    {
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options());

        var seeded = await system.Concert.WithScopeAsync(services =>
            services.GetRequiredService<ConcertDbContext>().Concerts.AsNoTracking().ToListAsync());
        Assert.That(seeded.Select(c => c.Id), Does.Contain(DemoConcert).And.Contain(BookingDriver.TestConcertId));

        var announced = await BookingDriver.OutboxOfAsync<ConcertDbContext, ConcertScheduled>(system.Concert.Services);
        Assert.That(announced.Select(m => m.PartitionKey), Is.SupersetOf(seeded.Select(c => c.Id.ToString())),
            "each concert's event is written with its rows, keyed by the concert");

        foreach (var concert in seeded)
        {
            var replica = await Eventually.Until(
                () => system.Token.WithScopeAsync(services =>
                    services.GetRequiredService<TokenDbContext>().Concerts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == concert.Id)),
                c => c is not null, $"concert {concert.Id} in TokenService's replica");
            Assert.That((replica!.StartsAt, replica.Version), Is.EqualTo((concert.StartsAt, concert.Version)));
        }
    }

    [Test]
    public async Task A_queue_for_a_concert_that_does_not_exist_is_404_and_stores_no_token()
    {
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options());
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Made-up");
        var madeUp = Guid.NewGuid();

        var response = await booking.Token.SendAsAsync(user, HttpMethod.Post, $"/queue/{madeUp}/tokens");

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body, Does.Contain("Unknown concert").And.Contain(madeUp.ToString()));
        Assert.That(await TokenCountAsync(system, t => t.ConcertId == madeUp), Is.Zero);

        // The same user queues for a real concert, once TokenService has learnt it.
        Assert.That((await booking.EnterQueueRawAsync(BookingDriver.TestConcertId, user)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Many_concurrent_re_entries_of_an_expired_token_all_answer_with_the_token_s_state()
    {
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options(
            token: [("Queue:AdmissionLifetime", "00:00:01")]));
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Impatient");
        var token = await booking.EnterQueueAsync(BookingDriver.TestConcertId, user);
        await booking.WaitUntilAdmittedAsync(user, token.TokenId);
        await Eventually.Until(() => booking.Token.GetAsAsync<QueueTokenResponse>(user, $"/queue/tokens/{token.TokenId}"),
            t => t!.Status == "Expired", $"token {token.TokenId} expired");

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => booking.EnterQueueRawAsync(BookingDriver.TestConcertId, user)));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK), string.Join("\n", bodies.Distinct()));
        var answers = bodies.Select(b => JsonSerializer.Deserialize<QueueTokenResponse>(b, JsonSerializerOptions.Web)!).ToList();
        Assert.That(answers.Select(a => a.TokenId), Is.All.EqualTo(token.TokenId), "the same token, requeued once");
        Assert.That(answers.Select(a => a.Status), Is.All.AnyOf("Waiting", "Admitted"));
        Assert.That(await TokenCountAsync(system, t => t.UserId == user.Id), Is.EqualTo(1));
    }

    [Test]
    public async Task An_expired_admission_is_purged_after_its_retention_and_entering_again_starts_afresh()
    {
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options(token:
        [
            ("Queue:AdmissionLifetime", "00:00:01"),
            ("Queue:ExpiredTokenRetention", "00:00:01"),
            ("Queue:PurgeInterval", "00:00:00.200"),
        ]));
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Forgotten");
        var token = await booking.EnterQueueAsync(BookingDriver.TestConcertId, user);
        await booking.WaitUntilAdmittedAsync(user, token.TokenId);

        await Eventually.Until(async () => (await booking.Token.SendAsAsync(user, HttpMethod.Get, $"/queue/tokens/{token.TokenId}")).StatusCode,
            status => status == HttpStatusCode.NotFound, $"token {token.TokenId} purged");

        Assert.That(await TokenCountAsync(system, t => t.Id == token.TokenId), Is.Zero);
        var again = await booking.EnterQueueRawAsync(BookingDriver.TestConcertId, user);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created), await again.Content.ReadAsStringAsync());
        Assert.That((await again.Content.ReadFromJsonAsync<QueueTokenResponse>())!.TokenId, Is.Not.EqualTo(token.TokenId));
    }

    [Test]
    public async Task Waiting_users_stand_in_the_order_they_entered_on_entry_and_on_every_poll()
    {
        // Admission once at start and then hourly, none at entry: everyone who enters now waits.
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options(token:
            [("Queue:AdmissionInterval", "01:00:00"), ("Queue:AdmitOnEntry", "false")]));
        using var booking = new BookingDriver(system);
        var first = await booking.SignUpReplicatedAsync("First");
        var second = await booking.SignUpReplicatedAsync("Second");
        var third = await booking.SignUpReplicatedAsync("Third");

        var entered = new List<QueueTokenResponse>();
        foreach (var user in new[] { first, second, third })
        {
            entered.Add(await booking.EnterQueueAsync(BookingDriver.TestConcertId, user));
        }

        var again = await (await booking.EnterQueueRawAsync(BookingDriver.TestConcertId, second)).Content.ReadFromJsonAsync<QueueTokenResponse>();
        var polled = await (await booking.Token.SendAsAsync(third, HttpMethod.Get, $"/queue/tokens/{entered[2].TokenId}"))
            .Content.ReadFromJsonAsync<QueueTokenResponse>();
        Assert.Multiple(() =>
        {
            Assert.That(entered.Select(t => (t.Status, t.Position)), Is.EqualTo(new[] { ("Waiting", (int?)1), ("Waiting", 2), ("Waiting", 3) }));
            Assert.That(again!.Position, Is.EqualTo(2), "entering again keeps the place");
            Assert.That(polled!.Position, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Entering_a_queue_nobody_waits_in_admits_at_once_with_an_entry_pass_that_holds_a_seat()
    {
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options());
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Punctual");

        var response = await booking.EnterQueueRawAsync(BookingDriver.TestConcertId, user);

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        var token = JsonSerializer.Deserialize<QueueTokenResponse>(body, JsonSerializerOptions.Web)!;
        Assert.Multiple(() =>
        {
            Assert.That(token.Status, Is.EqualTo("Admitted"), "nobody waits and the rate has room: no reason to poll");
            Assert.That(token.Position, Is.Null);
            Assert.That(token.EntryPass, Is.Not.Null);
            Assert.That(token.ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow));
        });
        var held = await booking.ReserveRawAsync(user, (await booking.SeatAsync("T7")).Id, token.EntryPass);
        Assert.That(held.StatusCode, Is.EqualTo(HttpStatusCode.Created), await held.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Entering_behind_a_waiting_user_waits_even_when_the_rate_has_room_and_leaves_the_room_to_the_admitter()
    {
        // One admission per hour, on a clock of the test's: the first user takes it at entry, the second waits for the
        // next, and the test brings the next one without the admitter (hourly) handing it out.
        var clock = new FakeTimeProvider();
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options(token:
            [("Queue:AdmissionInterval", "01:00:00"), ("Queue:AdmitPerInterval", "1")]) with
        {
            TestServices = service => service == "token"
                ? services => services.AddSingleton(provider => new AdmissionBudget(provider.GetRequiredService<IOptions<QueueOptions>>(), clock))
                : null,
        });
        using var booking = new BookingDriver(system);
        var first = await booking.SignUpReplicatedAsync("First");
        var second = await booking.SignUpReplicatedAsync("Second");
        var third = await booking.SignUpReplicatedAsync("Third");

        var admitted = await booking.EnterQueueAsync(BookingDriver.TestConcertId, first);
        var waiting = await booking.EnterQueueAsync(BookingDriver.TestConcertId, second);
        clock.Advance(TimeSpan.FromHours(1));
        var behind = await booking.EnterQueueAsync(BookingDriver.TestConcertId, third);

        Assert.Multiple(() =>
        {
            Assert.That(admitted.Status, Is.EqualTo("Admitted"));
            Assert.That((waiting.Status, waiting.Position), Is.EqualTo(("Waiting", (int?)1)), "the hour's one admission was taken");
            Assert.That((behind.Status, behind.Position), Is.EqualTo(("Waiting", (int?)2)), "the next admission is the waiting user's, not the newcomer's");
        });
        var budget = system.Token.Services.GetRequiredService<AdmissionBudget>();
        Assert.That(budget.Take(BookingDriver.TestConcertId, 1), Is.EqualTo(1), "entering behind someone leaves the admission to the admitter");
    }

    [Test]
    public async Task A_crowd_entering_an_empty_queue_at_once_gets_no_more_admissions_than_the_rate_allows()
    {
        // Three admissions an hour: the rate a queue exists to hold, however many arrive in the same instant.
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options(token:
            [("Queue:AdmissionInterval", "01:00:00"), ("Queue:AdmitPerInterval", "3")]));
        using var booking = new BookingDriver(system);
        var crowd = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => booking.SignUpReplicatedAsync($"Crowd {i}")));

        var entered = await Task.WhenAll(crowd.Select(user => booking.EnterQueueAsync(BookingDriver.TestConcertId, user)));

        Assert.Multiple(() =>
        {
            Assert.That(entered.Count(t => t.Status == "Admitted"), Is.EqualTo(3));
            Assert.That(entered.Where(t => t.Status == "Waiting").Select(t => t.Position), Is.All.Not.Null.And.All.GreaterThan(0));
            Assert.That(entered.Count(t => t.Status == "Waiting"), Is.EqualTo(7));
        });
    }

    [Test]
    public async Task A_token_left_waiting_past_its_lifetime_is_purged()
    {
        // Admission once at start and then hourly, none at entry: the token stays Waiting until the purge takes it.
        await using var system = await ConcertBookingSystem.StartAsync(BookingDriver.Options(token:
        [
            ("Queue:AdmissionInterval", "01:00:00"),
            ("Queue:AdmitOnEntry", "false"),
            ("Queue:WaitingTokenLifetime", "00:00:02"),
            ("Queue:PurgeInterval", "00:00:00.200"),
        ]));
        using var booking = new BookingDriver(system);
        var user = await booking.SignUpReplicatedAsync("Patient");
        var token = await booking.EnterQueueAsync(BookingDriver.TestConcertId, user);
        Assert.That(token.Status, Is.EqualTo("Waiting"));

        await Eventually.Until(async () => (await booking.Token.SendAsAsync(user, HttpMethod.Get, $"/queue/tokens/{token.TokenId}")).StatusCode,
            status => status == HttpStatusCode.NotFound, $"waiting token {token.TokenId} purged");

        Assert.That(await TokenCountAsync(system, t => t.UserId == user.Id), Is.Zero);
    }

    [Test]
    public async Task Entries_that_wait_for_an_insert_commit_together_each_with_a_token_of_its_own()
    {
        await using var system = await ConcertBookingSystem.StartAsync(GroupCommitOptions());
        using var booking = new BookingDriver(system);
        var crowd = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => booking.SignUpReplicatedAsync($"Grouped {i}")));

        var answers = await EnterBehindABlockedInsertAsync(system, booking, crowd);

        await AssertEachEnteredWithItsOwnTokenAsync(system, crowd, answers);
        Assert.That(await InsertingTransactionsAsync(system, crowd.Select(u => u.Id).ToArray()), Is.EqualTo(1),
            "the waiting entries were inserted by one transaction");
    }

    [Test]
    public async Task A_group_whose_commit_went_through_but_was_reported_lost_answers_each_entry_as_entered_and_keeps_its_admission()
    {
        // Ten admissions an hour: the turn holder takes one and each entry behind it one, as they enter an empty queue.
        var lostAnswer = new LoseACommitsAnswer();
        await using var system = await ConcertBookingSystem.StartAsync(GroupCommitOptions(
            [("Queue:AdmissionInterval", "01:00:00"), ("Queue:AdmitPerInterval", "10")]) with
        {
            TestServices = service => service == "token" ? services => services.AddSingleton<IInterceptor>(lostAnswer) : null,
        });
        using var booking = new BookingDriver(system);
        var crowd = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => booking.SignUpReplicatedAsync($"Grouped {i}")));

        var answers = await EnterBehindABlockedInsertAsync(system, booking, crowd, lostAnswer.Arm);

        Assert.That(lostAnswer.Lost, Is.True, "the group's commit went through and its answer was lost");
        await AssertEachEnteredWithItsOwnTokenAsync(system, crowd, answers);
        var budget = system.Token.Services.GetRequiredService<AdmissionBudget>();
        Assert.That(budget.Take(BookingDriver.TestConcertId, 10), Is.EqualTo(6), "four admissions spent, none handed back twice");
    }

    [Test]
    public async Task A_user_entering_twice_in_one_group_rolls_it_back_and_every_entry_is_inserted_alone_and_answered()
    {
        await using var system = await ConcertBookingSystem.StartAsync(GroupCommitOptions());
        using var booking = new BookingDriver(system);
        var crowd = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => booking.SignUpReplicatedAsync($"Grouped {i}")));
        var twice = crowd[1];

        var answers = await EnterBehindABlockedInsertAsync(system, booking, [crowd[0], twice, twice, crowd[2]]);

        var statuses = answers.Select(a => a.StatusCode).ToList();
        var tokens = await Task.WhenAll(answers.Select(a => a.Content.ReadFromJsonAsync<QueueTokenResponse>()));
        Assert.Multiple(() =>
        {
            Assert.That(statuses[0], Is.EqualTo(HttpStatusCode.Created));
            Assert.That(statuses[3], Is.EqualTo(HttpStatusCode.Created));
            Assert.That(new[] { statuses[1], statuses[2] }, Is.EquivalentTo(new[] { HttpStatusCode.Created, HttpStatusCode.OK }),
                "the user's second entry is answered as a repeated one");
            Assert.That(tokens[2]!.TokenId, Is.EqualTo(tokens[1]!.TokenId), "both of the user's entries answer with one token");
        });
        var ids = crowd.Select(u => u.Id).ToArray();
        Assert.That(await TokenCountAsync(system, t => ids.Contains(t.UserId)), Is.EqualTo(3), "one token per user");
        Assert.That(await InsertingTransactionsAsync(system, ids), Is.EqualTo(3), "the group rolled back; each entry committed alone");
    }

    /// <summary>One turn to insert, and room for the entries to reach it (the test pool's share for actions is smaller).</summary>
    private static SystemOptions GroupCommitOptions((string Key, string Value)[]? queue = null) => BookingDriver.Options(token:
    [
        ("Queue:ConcurrentEntryInserts", "1"),
        ("Http:MaxConcurrentActions", "6"),
        ("Messaging:Consumers:MaxConcurrentHandlers", "2"),
        .. queue ?? [],
    ]);

    /// <summary>Each entry answered 201 with the token stored for its user, and one token per user.</summary>
    private static async Task AssertEachEnteredWithItsOwnTokenAsync(ConcertBookingSystem system, IReadOnlyList<TestUser> users, HttpResponseMessage[] answers)
    {
        var ids = users.Select(u => u.Id).ToArray();
        var stored = await system.Token.WithScopeAsync(services => services.GetRequiredService<TokenDbContext>().QueueTokens
            .AsNoTracking().Where(t => ids.Contains(t.UserId)).ToListAsync());
        Assert.That(stored.Select(t => t.UserId), Is.EquivalentTo(ids), "one token per user");
        for (var i = 0; i < users.Count; i++)
        {
            var body = await answers[i].Content.ReadAsStringAsync();
            Assert.That(answers[i].StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
            Assert.That((await answers[i].Content.ReadFromJsonAsync<QueueTokenResponse>())!.TokenId, Is.EqualTo(stored.Single(t => t.UserId == users[i].Id).Id),
                $"user {i} answered with the token stored for them");
        }
    }

    /// <summary>
    /// Holds the only insert turn with an entry whose insert waits for a row this test inserted and has not committed,
    /// lets <paramref name="entering"/> line up behind it, and rolls the row back: the next turn takes them all.
    /// </summary>
    private static async Task<HttpResponseMessage[]> EnterBehindABlockedInsertAsync(
        ConcertBookingSystem system, BookingDriver booking, IReadOnlyList<TestUser> entering, Action? beforeRelease = null)
    {
        var holder = await booking.SignUpReplicatedAsync("Turn holder");
        await system.ConcertReplicatedAsync(BookingDriver.TestConcertId);
        await using var scope = system.Token.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TokenDbContext>();
        await using var uncommitted = await db.Database.BeginTransactionAsync();
        db.QueueTokens.Add(QueueToken.Enter(BookingDriver.TestConcertId, holder.Id, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();

        var holding = booking.EnterQueueRawAsync(BookingDriver.TestConcertId, holder);
        await Eventually.Until(() => system.Token.WithScopeAsync(services => LockWaits.AnyAsync(services.GetRequiredService<TokenDbContext>())),
            waiting => waiting, "the turn holder's insert waiting for the uncommitted row");
        var inserts = system.Token.Services.GetRequiredService<QueueEntryInserts>();
        var entries = entering.Select(user => booking.EnterQueueRawAsync(BookingDriver.TestConcertId, user)).ToArray();
        await Eventually.Until(() => Task.FromResult(inserts.Waiting), waiting => waiting == entering.Count, "every entry waiting for the turn");

        beforeRelease?.Invoke();
        await uncommitted.RollbackAsync();
        Assert.That((await holding.WaitAsync(Eventually.DefaultTimeout)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        return await Task.WhenAll(entries).WaitAsync(Eventually.DefaultTimeout);
    }

    /// <summary>
    /// Once armed, throws after the next commit of a save with several queue tokens, as a connection that breaks before
    /// the commit's answer comes back: the rows are committed, and the saver is told it failed.
    /// </summary>
    private sealed class LoseACommitsAnswer : DbTransactionInterceptor
    {
        private int _armed;
        private int _lost;

        public bool Lost => Volatile.Read(ref _lost) == 1;

        public void Arm() => Volatile.Write(ref _armed, 1);

        public override Task TransactionCommittedAsync(
            System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (eventData.Context?.ChangeTracker.Entries<QueueToken>().Count() > 1 && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Volatile.Write(ref _lost, 1);
                throw new InvalidOperationException("The connection broke before the commit's answer came back.");
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>How many transactions inserted these users' tokens (PostgreSQL stamps each row with its inserting transaction).</summary>
    private static Task<int> InsertingTransactionsAsync(ConcertBookingSystem system, Guid[] userIds) =>
        system.Token.WithScopeAsync(services => services.GetRequiredService<TokenDbContext>().Database
            .SqlQuery<int>($"SELECT count(DISTINCT xmin::text)::int AS \"Value\" FROM token.\"QueueTokens\" WHERE \"UserId\" = ANY({userIds})")
            .SingleAsync());

    private static Task<int> TokenCountAsync(ConcertBookingSystem system, System.Linq.Expressions.Expression<Func<QueueToken, bool>> where) =>
        system.Token.WithScopeAsync(services => services.GetRequiredService<TokenDbContext>().QueueTokens.CountAsync(where));
}
