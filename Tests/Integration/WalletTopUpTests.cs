using System.Net;
using System.Net.Http.Json;
using ConcertBooking.Tests.Infrastructure;

namespace ConcertBooking.Tests.Integration;

/// <summary>
/// Top-ups mint money, so a wallet takes at most <c>Wallets:DailyTopUpLimit</c> of them in any 24 hours: the first one
/// opens the wallet, one past the limit is refused with what is left, and concurrent ones together never pass it.
/// </summary>
[TestFixture]
[Category(TestCategories.Integration)]
public sealed class WalletTopUpTests : BookingSystemFixture
{
    protected override SystemOptions SystemSettings() => BookingDriver.Options(payment: [("Wallets:DailyTopUpLimit", "100.00")]);

    [Test]
    public async Task The_first_top_up_opens_the_wallet_and_one_past_the_daily_limit_is_refused_with_what_is_left()
    {
        var user = await Booking.SignUpReplicatedAsync("Top-up");
        Assert.That(await Booking.BalanceAsync(user), Is.Zero);

        Assert.That((await Booking.ChargeAsync(user, 60.00m)).Balance, Is.EqualTo(60.00m));
        var refused = await Booking.ChargeRawAsync(user, new { amount = 50.00m });
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await refused.Content.ReadAsStringAsync());
        var problem = (await refused.Content.ReadFromJsonAsync<LimitProblem>())!;
        Assert.That((problem.Limit, problem.Remaining), Is.EqualTo((100.00m, 40.00m)));
        Assert.That(await Booking.BalanceAsync(user), Is.EqualTo(60.00m));

        Assert.That((await Booking.ChargeAsync(user, 40.00m)).Balance, Is.EqualTo(100.00m));
    }

    [Test]
    public async Task Concurrent_top_ups_together_never_pass_the_daily_limit()
    {
        var user = await Booking.SignUpReplicatedAsync("Concurrent top-ups");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Booking.ChargeRawAsync(user, new { amount = 30.00m })));

        Assert.That(answers.Select(a => a.StatusCode), Has.All.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.Conflict));
        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.OK), Is.EqualTo(3));
        Assert.That(await Booking.BalanceAsync(user), Is.EqualTo(90.00m));
    }

    private sealed record LimitProblem(decimal Limit, decimal Remaining);
}
