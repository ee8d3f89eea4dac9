using ConcertBooking.EntryPasses;
using Microsoft.Extensions.Options;

namespace ConcertBooking.TokenService.Queue;

/// <summary>
/// Lets a token in for <c>Queue:AdmissionLifetime</c> with the signed entry pass that ConcertService verifies without
/// calling back here: the same admission whether the admitter hands it out or the queue's entry does.
/// </summary>
public sealed class TokenAdmission(EntryPassCodec passes, IOptions<QueueOptions> options)
{
    public void Admit(QueueToken token, DateTimeOffset now)
    {
        var expiresAt = EntryPassCodec.SignableExpiry(now + options.Value.AdmissionLifetime);
        token.Admit(now, expiresAt, passes.Sign(new EntryPassClaims(token.UserId, token.ConcertId, token.Id, expiresAt)));
    }
}
