using System.Security.Claims;
using System.Security.Cryptography;
using ConcertBooking.ServiceDefaults.Authentication;
using ConcertBooking.Testing;
using ConcertBooking.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// An access token is checked once per process and its success remembered until the token expires; anything else (a
/// failure, a token altered in one byte, an expired one) is checked as if nothing were remembered.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class ValidatedTokenCacheTests
{
    private FakeTimeProvider _time = null!;
    private CountingHandler _checks = null!;

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = TestSecrets.Issuer,
        ValidAudience = TestSecrets.Audience,
        IssuerSigningKeys = [new ECDsaSecurityKey(TestSecrets.SigningKey) { KeyId = TestSecrets.KeyId }],
        ValidAlgorithms = [AccessTokens.Algorithm],
        ValidTypes = [AccessTokens.TokenType],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        NameClaimType = AccessTokens.SubjectClaim,
    };

    [SetUp]
    public void StartAfresh()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _checks = new CountingHandler();
    }

    private ValidatedTokenCache Cache(int capacity = 100) => new(_checks, _time, capacity);

    [Test]
    public async Task A_valid_token_is_checked_once_and_each_request_gets_its_own_identity_of_the_same_user()
    {
        var cache = Cache();
        var user = Guid.NewGuid();
        var token = TestTokens.Issue(user);

        var first = await cache.ValidateTokenAsync(token, Parameters);
        var second = await cache.ValidateTokenAsync(token, Parameters);

        Assert.That(_checks.Count, Is.EqualTo(1));
        Assert.That(second.IsValid, Is.True);
        Assert.That(second.ClaimsIdentity.FindFirst(AccessTokens.SubjectClaim)?.Value, Is.EqualTo(user.ToString()));
        Assert.That(second.ClaimsIdentity, Is.Not.SameAs(first.ClaimsIdentity), "a request that adds a claim must not add it to the next");
        Assert.That(second.SecurityToken.ValidTo, Is.EqualTo(first.SecurityToken.ValidTo));
    }

    [Test]
    public async Task A_refused_token_is_checked_every_time_and_refused_every_time()
    {
        var cache = Cache();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = TestTokens.Issue(Guid.NewGuid(), otherKey);

        var first = await cache.ValidateTokenAsync(forged, Parameters);
        var second = await cache.ValidateTokenAsync(forged, Parameters);

        Assert.That(new[] { first.IsValid, second.IsValid }, Is.All.False);
        Assert.That(_checks.Count, Is.EqualTo(2));
        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public async Task A_remembered_token_altered_in_its_signature_is_refused()
    {
        var cache = Cache();
        var token = TestTokens.Issue(Guid.NewGuid());
        Assert.That((await cache.ValidateTokenAsync(token, Parameters)).IsValid, Is.True);

        var signatureStart = token.LastIndexOf('.') + 1;
        var altered = token[..signatureStart] + (token[signatureStart] == 'A' ? 'B' : 'A') + token[(signatureStart + 1)..];

        Assert.That((await cache.ValidateTokenAsync(altered, Parameters)).IsValid, Is.False);
        Assert.That(_checks.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task A_token_past_its_expiry_is_checked_again_rather_than_taken_from_memory()
    {
        var cache = Cache();
        var token = TestTokens.Issue(Guid.NewGuid(), expiresAt: _time.GetUtcNow().AddMinutes(2));
        await cache.ValidateTokenAsync(token, Parameters);
        _time.Advance(TimeSpan.FromMinutes(1));
        await cache.ValidateTokenAsync(token, Parameters);
        Assert.That(_checks.Count, Is.EqualTo(1), "still within its lifetime: remembered");

        _time.Advance(TimeSpan.FromMinutes(1));
        await cache.ValidateTokenAsync(token, Parameters);

        Assert.That(_checks.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task It_never_remembers_more_tokens_than_its_capacity_and_makes_room_by_forgetting_expired_ones()
    {
        var cache = Cache(capacity: 2);
        var soon = _time.GetUtcNow().AddMinutes(2);
        await cache.ValidateTokenAsync(TestTokens.Issue(Guid.NewGuid(), expiresAt: soon), Parameters);
        await cache.ValidateTokenAsync(TestTokens.Issue(Guid.NewGuid()), Parameters);
        var third = TestTokens.Issue(Guid.NewGuid());
        await cache.ValidateTokenAsync(third, Parameters);
        Assert.That(cache.Count, Is.EqualTo(2), "full, nothing expired: the third is checked but not remembered");

        _time.Advance(TimeSpan.FromMinutes(3));
        await cache.ValidateTokenAsync(third, Parameters);
        await cache.ValidateTokenAsync(third, Parameters);

        Assert.That(cache.Count, Is.EqualTo(2));
        Assert.That(_checks.Count, Is.EqualTo(4), "the expired one made room for the third, which is now remembered");
    }

    [Test]
    public async Task A_capacity_of_zero_remembers_nothing()
    {
        var cache = Cache(capacity: 0);
        var token = TestTokens.Issue(Guid.NewGuid());

        await cache.ValidateTokenAsync(token, Parameters);
        await cache.ValidateTokenAsync(token, Parameters);

        Assert.That(_checks.Count, Is.EqualTo(2));
    }

    /// <summary>The real handler, counting the checks it makes.</summary>
    private sealed class CountingHandler : JsonWebTokenHandler
    {
        private int _count;

        public CountingHandler() => MapInboundClaims = false;

        public int Count => _count;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _count);
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }
}
