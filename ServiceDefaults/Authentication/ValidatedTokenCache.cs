using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace ConcertBooking.ServiceDefaults.Authentication;

/// <summary>
/// Checks each access token once per process and remembers the success until the token expires. The ES256 signature
/// check is the largest single cost of an authenticated request (a fifth of a queue-status poll's CPU in TokenService's
/// profile), and a client sends the same token with every request until it expires.
/// <para>
/// Sound because everything a token is checked against is fixed for the life of the process: issuer, audience and
/// issuer keys are read once at start, so a key rotation restarts the service and empties this. Only successes are
/// remembered, under the token's whole text (signature included), so a token altered in any byte is checked afresh;
/// a refusal is never remembered. An entry is used only before the token's <c>exp</c>, never within the clock skew's
/// grace after it (a fresh check decides that). At <paramref name="capacity"/> it first forgets expired entries (one walk
/// of the cache a second at most, so that new tokens at capacity do not each pay for one), and if none has expired
/// remembers nothing more until one does: a flood of new tokens is checked as if there were no cache.
/// </para>
/// </summary>
public sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider time, int capacity) : TokenHandler
{
    private static readonly TimeSpan SweepSpacing = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    /// <summary>Tokens remembered now.</summary>
    public int Count => _validated.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (_validated.TryGetValue(token, out var known))
        {
            if (now < known.ExpiresAt)
            {
                return known.ForThisRequest();
            }

            _validated.TryRemove(KeyValuePair.Create(token, known));
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } securityToken)
        {
            Remember(token, new Validated(result, new DateTimeOffset(DateTime.SpecifyKind(securityToken.ValidTo, DateTimeKind.Utc))), now);
        }

        return result;
    }

    private void Remember(string token, Validated validated, DateTimeOffset now)
    {
        if (capacity == 0 || validated.ExpiresAt <= now)
        {
            return;
        }

        if (_validated.Count >= capacity)
        {
            ForgetExpired(now);
            if (_validated.Count >= capacity)
            {
                return;
            }
        }

        _validated.TryAdd(token, validated);
    }

    /// <summary>At most one walk per <see cref="SweepSpacing"/>, by whichever request claims it first.</summary>
    private void ForgetExpired(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, now.UtcTicks + SweepSpacing.Ticks, due) != due)
        {
            return;
        }

        foreach (var entry in _validated)
        {
            if (entry.Value.ExpiresAt <= now)
            {
                _validated.TryRemove(entry);
            }
        }
    }

    private sealed record Validated(TokenValidationResult Result, DateTimeOffset ExpiresAt)
    {
        /// <summary>
        /// A result of its own for each request, with its own copy of the identity: a request that adds a claim (a
        /// claims transformation, say) must not hand it to the next request with this token.
        /// </summary>
        public TokenValidationResult ForThisRequest() => new()
        {
            IsValid = true,
            SecurityToken = Result.SecurityToken,
            ClaimsIdentity = Result.ClaimsIdentity.Clone(),
            Issuer = Result.Issuer,
            TokenType = Result.TokenType,
        };
    }
}
