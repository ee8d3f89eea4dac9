using ConcertBooking.ConcertService.Reservations;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// The seats a refused hold suggests instead: read once per concert per <c>Reservations:SeatSuggestionsMaxAge</c>
/// however many holds are refused, never the refused seat, a few at random so that the buyers refused together do not
/// all run to the same seat next.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class SeatAvailabilityTests
{
    private static readonly Guid Concert = Guid.NewGuid();
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(100);

    private FakeTimeProvider _time = null!;
    private List<AvailableSeat> _free = null!;
    private int _reads;

    [SetUp]
    public void CreateConcert()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _free = Enumerable.Range(1, 40).Select(i => new AvailableSeat(Guid.NewGuid(), $"A{i}")).ToList();
        _reads = 0;
    }

    private SeatAvailability Availability(int suggestions = 5) =>
        new(Options.Create(new ReservationOptions { SeatSuggestions = suggestions, SeatSuggestionsMaxAge = MaxAge }), _time);

    private Task<AvailableSeat[]> ReadAsync(Guid concertId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(_free.ToArray());
    }

    [Test]
    public async Task A_refusal_suggests_distinct_free_seats_and_never_the_refused_one()
    {
        var availability = Availability();
        var refused = _free[3].Id;

        for (var i = 0; i < 50; i++)
        {
            var suggested = await availability.SuggestAsync(Concert, refused, ReadAsync, CancellationToken.None);

            Assert.That(suggested, Has.Count.EqualTo(5));
            Assert.That(suggested, Is.Unique);
            Assert.That(suggested.Select(s => s.Id), Has.None.EqualTo(refused));
            Assert.That(suggested, Is.SubsetOf(_free));
        }
    }

    [Test]
    public async Task Refusals_in_quick_succession_share_one_read_and_the_next_read_comes_after_the_max_age()
    {
        var availability = Availability();

        for (var i = 0; i < 20; i++)
        {
            await availability.SuggestAsync(Concert, Guid.NewGuid(), ReadAsync, CancellationToken.None);
        }

        Assert.That(_reads, Is.EqualTo(1));

        _free.RemoveRange(0, 38);
        _time.Advance(MaxAge + TimeSpan.FromMilliseconds(1));
        var suggested = await availability.SuggestAsync(Concert, Guid.NewGuid(), ReadAsync, CancellationToken.None);

        Assert.That(_reads, Is.EqualTo(2));
        Assert.That(suggested, Is.EquivalentTo(_free), "what was read again: two seats left");
    }

    [Test]
    public async Task A_refusal_while_another_reads_again_gets_the_last_seats_instead_of_waiting()
    {
        var availability = Availability();
        await availability.SuggestAsync(Concert, Guid.NewGuid(), ReadAsync, CancellationToken.None);
        _time.Advance(MaxAge + TimeSpan.FromMilliseconds(1));
        var slowRead = new TaskCompletionSource<AvailableSeat[]>(TaskCreationOptions.RunContinuationsAsynchronously);

        var reading = availability.SuggestAsync(Concert, Guid.NewGuid(), (_, _) => slowRead.Task, CancellationToken.None).AsTask();
        var meanwhile = availability.SuggestAsync(Concert, Guid.NewGuid(), ReadAsync, CancellationToken.None);

        Assert.That(meanwhile.IsCompletedSuccessfully, Is.True, "answered from the last read, not queued behind the slow one");
        Assert.That(meanwhile.Result, Is.SubsetOf(_free));
        Assert.That(_reads, Is.EqualTo(1), "only the first read went to the database");
        slowRead.SetResult([]);
        Assert.That(await reading, Is.Empty);
    }

    [Test]
    public async Task When_no_other_seat_is_free_a_refusal_suggests_none()
    {
        var availability = Availability();
        _free.RemoveRange(1, _free.Count - 1);

        var suggested = await availability.SuggestAsync(Concert, _free[0].Id, ReadAsync, CancellationToken.None);

        Assert.That(suggested, Is.Empty);
    }

    [Test]
    public async Task A_refusal_never_suggests_more_seats_than_asked_for()
    {
        var availability = Availability();
        _free.RemoveRange(6, _free.Count - 6);

        // The refused seat was just taken, so it is not among the free seats read: six free, five asked for, five given.
        var suggested = await availability.SuggestAsync(Concert, Guid.NewGuid(), ReadAsync, CancellationToken.None);

        Assert.That(suggested, Has.Count.EqualTo(5).And.Unique);
    }

    [Test]
    public async Task Each_concert_is_read_on_its_own()
    {
        var availability = Availability();

        await availability.SuggestAsync(Concert, Guid.NewGuid(), ReadAsync, CancellationToken.None);
        await availability.SuggestAsync(Guid.NewGuid(), Guid.NewGuid(), ReadAsync, CancellationToken.None);

        Assert.That(_reads, Is.EqualTo(2));
    }

    [Test]
    public async Task Turned_off_it_reads_nothing_and_says_nothing()
    {
        var availability = Availability(suggestions: 0);

        var suggested = await availability.SuggestAsync(Concert, Guid.NewGuid(), ReadAsync, CancellationToken.None);

        Assert.That(suggested, Is.Null);
        Assert.That(_reads, Is.Zero);
    }
}
