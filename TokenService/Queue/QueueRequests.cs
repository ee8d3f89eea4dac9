using FluentValidation;

namespace ConcertBooking.TokenService.Queue;

public sealed record EnterQueueRequest(Guid? UserId);

/// <summary><see cref="Position"/> only while waiting; <see cref="EntryPass"/> and <see cref="ExpiresAt"/> only once admitted.</summary>
public sealed record QueueTokenResponse(
    Guid TokenId, Guid ConcertId, Guid UserId, string Status, int? Position, string? EntryPass, DateTimeOffset? ExpiresAt);

public sealed class EnterQueueRequestValidator : AbstractValidator<EnterQueueRequest>
{
    public EnterQueueRequestValidator() =>
        RuleFor(r => r.UserId).NotNull().NotEqual(Guid.Empty).WithMessage("UserId is required.");
}
