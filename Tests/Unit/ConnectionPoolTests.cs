using ConcertBooking.Configuration;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// The pool is split in one place: consumers take half, the crowd's actions the other half less the relay's and
/// housekeeping's connections, so that neither can take the connections the other needs to finish its work; bounds
/// set by hand are checked together, not one by one.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class ConnectionPoolTests
{
    [TestCase(20, 10, 8)]
    [TestCase(10, 5, 3)]
    [TestCase(4, 2, 1)]
    [TestCase(2, 1, 1)]
    public void Consumers_and_actions_share_the_pool_and_leave_connections_to_the_relay(int size, int consumers, int actions)
    {
        var pool = new ConnectionPool(size);
        Assert.Multiple(() =>
        {
            Assert.That(pool.ConsumersShare, Is.EqualTo(consumers));
            Assert.That(pool.ActionsShare, Is.EqualTo(actions));
        });
        if (size > 2)
        {
            Assert.That(pool.ConsumersShare + pool.ActionsShare, Is.LessThan(size), "a connection is left for the relay");
        }
    }

    [Test]
    public void The_default_shares_claimed_together_leave_the_relay_a_connection()
    {
        foreach (var size in new int?[] { 20, 10, 4, 3, null })
        {
            var pool = new ConnectionPool(size);
            Assert.DoesNotThrow(() =>
            {
                pool.Claim(Consumers, pool.ConsumersShare);
                pool.Claim(Actions, pool.ActionsShare);
            }, $"a pool of {size}");
        }
    }

    [Test]
    public void Bounds_that_fit_the_pool_alone_but_not_together_are_refused_naming_both()
    {
        var pool = new ConnectionPool(20);
        pool.Claim(Consumers, 15);

        var refused = Assert.Throws<OptionsValidationException>(() => pool.Claim(Actions, 8));

        Assert.That(refused!.Message, Does.Contain($"{Actions} (8)").And.Contain($"{Consumers} (15)").And.Contain("20"));
    }

    [Test]
    public void A_bound_claimed_again_replaces_its_claim()
    {
        var pool = new ConnectionPool(20);
        pool.Claim(Consumers, 10);
        pool.Claim(Consumers, 10);

        Assert.DoesNotThrow(() => pool.Claim(Actions, 9), "10 + 9 of 20 leaves one");
        Assert.Throws<OptionsValidationException>(() => pool.Claim(Actions, 10));
    }

    private const string Consumers = "Messaging:Consumers:MaxConcurrentHandlers";
    private const string Actions = "Http:MaxConcurrentActions";
}
