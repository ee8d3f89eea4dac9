using ConcertBooking.Configuration;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// The pool is split in one place: consumers take half, the crowd's actions the other half less the relay's and
/// housekeeping's connections, so that neither can take the connections the other needs to finish its work.
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
    public void A_share_is_room_for_others_only_below_the_pool_size()
    {
        var pool = new ConnectionPool(20);
        Assert.Multiple(() =>
        {
            Assert.That(pool.LeavesRoomFor(19), Is.True);
            Assert.That(pool.LeavesRoomFor(20), Is.False);
            Assert.That(new ConnectionPool(null).LeavesRoomFor(10_000), Is.True, "without pooling every holder has its own connection");
        });
    }
}
