using ConcertBooking.UserReplica;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// The replica's known-user rule is written once and inlined where a compiled query marks it: the inlined query must
/// keep the rule's answer (held and not a tombstone), and the marker must never run as code.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class KnownUserRuleTests
{
    [Test]
    public void The_marker_is_replaced_by_the_rule_with_its_arguments_bound()
    {
        var known = KnownUsers.WithKnownUserRule<Func<ReplicatedUser, Guid, bool>>((user, userId) => user.IsKnownAs(userId)).Compile();
        var id = Guid.NewGuid();

        Assert.Multiple(() =>
        {
            Assert.That(known(new ReplicatedUser { Id = id }, id), Is.True);
            Assert.That(known(new ReplicatedUser { Id = id, IsDeleted = true }, id), Is.False, "a tombstone is not a known user");
            Assert.That(known(new ReplicatedUser { Id = Guid.NewGuid() }, id), Is.False, "another user");
        });
    }

    [Test]
    public void A_marker_nested_in_a_larger_query_is_replaced_too()
    {
        var anyKnown = KnownUsers.WithKnownUserRule<Func<IEnumerable<ReplicatedUser>, Guid, bool>>(
            (users, userId) => users.Any(u => u.IsKnownAs(userId))).Compile();
        var id = Guid.NewGuid();

        Assert.That(anyKnown([new ReplicatedUser { Id = Guid.NewGuid() }, new ReplicatedUser { Id = id }], id), Is.True);
        Assert.That(anyKnown([new ReplicatedUser { Id = id, IsDeleted = true }], id), Is.False);
    }

    [Test]
    public void The_marker_never_runs_as_code() =>
        Assert.Throws<InvalidOperationException>(() => new ReplicatedUser().IsKnownAs(Guid.NewGuid()));
}
