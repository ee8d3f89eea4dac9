namespace ConcertBooking.TokenService.Queue;

/// <summary><see cref="Position"/> only while waiting; <see cref="EntryPass"/> and <see cref="ExpiresAt"/> only once admitted.</summary>
public sealed record QueueTokenResponse(
    Guid TokenId, Guid ConcertId, Guid UserId, string Status, int? Position, string? EntryPass, DateTimeOffset? ExpiresAt)
{
    public static QueueTokenResponse From(QueueStanding standing)
    {
        var (token, status, position) = standing;
        var admitted = status == QueueTokenStatus.Admitted;
        return new QueueTokenResponse(token.Id, token.ConcertId, token.UserId, status.ToString(), position,
            admitted ? token.EntryPass : null, admitted || status == QueueTokenStatus.Expired ? token.ExpiresAt : null);
    }
}
