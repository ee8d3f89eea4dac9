using ConcertBooking.TokenService.Queue;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// The admission rate that the admitter and the queue's entry share: one interval's worth to begin with, refilled
/// evenly over each interval and never beyond it, kept per concert.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class AdmissionBudgetTests
{
    private static readonly Guid Concert = Guid.NewGuid();

    private readonly FakeTimeProvider _time = new();

    private AdmissionBudget Budget(int perInterval = 10) => new(
        Options.Create(new QueueOptions { AdmitPerInterval = perInterval, AdmissionInterval = TimeSpan.FromSeconds(1) }), _time);

    [Test]
    public void A_concert_starts_with_one_interval_s_admissions_and_no_more()
    {
        var budget = Budget();

        Assert.That(budget.Take(Concert, 25), Is.EqualTo(10));
        Assert.That(budget.Take(Concert, 1), Is.Zero);
    }

    [Test]
    public void Admissions_come_back_evenly_over_the_interval_and_never_beyond_one_interval_s_worth()
    {
        var budget = Budget();
        budget.Take(Concert, 10);

        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.That(budget.Take(Concert, 10), Is.EqualTo(3));

        _time.Advance(TimeSpan.FromHours(1));
        Assert.That(budget.Take(Concert, 100), Is.EqualTo(10), "an idle hour does not save up a burst");
    }

    [Test]
    public void Admissions_handed_back_unused_can_be_taken_again_but_not_beyond_one_interval_s_worth()
    {
        var budget = Budget();
        Assert.That(budget.Take(Concert, 10), Is.EqualTo(10));

        budget.Return(Concert, 4);
        Assert.That(budget.Take(Concert, 10), Is.EqualTo(4));

        budget.Return(Concert, 50);
        Assert.That(budget.Take(Concert, 100), Is.EqualTo(10));
    }

    [Test]
    public void Each_concert_has_a_budget_of_its_own()
    {
        var budget = Budget(perInterval: 1);

        Assert.That(budget.Take(Concert, 1), Is.EqualTo(1));
        Assert.That(budget.Take(Guid.NewGuid(), 1), Is.EqualTo(1));
        Assert.That(budget.Take(Concert, 1), Is.Zero);
    }

    [Test]
    public void Concurrent_takers_never_get_more_than_there_is()
    {
        var budget = Budget(perInterval: 1_000);

        var taken = new int[4_000];
        Parallel.For(0, taken.Length, i => taken[i] = budget.Take(Concert, 1));

        Assert.That(taken.Sum(), Is.EqualTo(1_000));
    }
}
