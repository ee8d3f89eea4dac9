using ConcertBooking.EntryPasses;
using ConcertBooking.TokenService.Queue;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConcertBooking.Tests.Unit;

/// <summary>An admission and the entry pass it hands out: what TokenService says of the token, ConcertService says of the pass.</summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class TokenAdmissionTests
{
    [Test]
    public void The_pass_is_valid_for_exactly_as_long_as_the_token_says_it_is_admitted()
    {
        // Admitted in the middle of a second: the pass carries its expiry in whole seconds.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, 750, TimeSpan.Zero));
        var codec = new EntryPassCodec(Options.Create(new EntryPassOptions { SigningKey = new string('k', 32) }), time);
        var admission = new TokenAdmission(codec, Options.Create(new QueueOptions { AdmissionLifetime = TimeSpan.FromSeconds(10) }));
        var token = QueueToken.Enter(Guid.NewGuid(), Guid.NewGuid(), time.GetUtcNow());

        admission.Admit(token, time.GetUtcNow());

        Assert.That(token.ExpiresAt, Is.GreaterThanOrEqualTo(time.GetUtcNow() + TimeSpan.FromSeconds(10)), "never shorter than asked");

        foreach (var step in Enumerable.Repeat(TimeSpan.FromMilliseconds(125), 100))
        {
            time.Advance(step);
            var admitted = token.EffectiveStatus(time.GetUtcNow()) == QueueTokenStatus.Admitted;
            var verdict = codec.Verify(token.EntryPass, token.UserId, token.ConcertId, out _);
            Assert.That(verdict, Is.EqualTo(admitted ? EntryPassVerdict.Valid : EntryPassVerdict.Expired),
                $"{time.GetUtcNow():HH:mm:ss.fff}: the token is {(admitted ? "admitted" : "expired")}, its expiry {token.ExpiresAt:HH:mm:ss.fff}");
        }
    }
}
