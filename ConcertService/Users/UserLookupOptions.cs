using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.ConcertService.Users;

/// <summary>Bound from <c>UserLookup</c>.</summary>
public sealed class UserLookupOptions
{
    public const string SectionName = "UserLookup";

    [EnumDataType(typeof(UserLookupMode))]
    public UserLookupMode Mode { get; set; } = UserLookupMode.Replica;

    /// <summary>UserService's base address, for <see cref="UserLookupMode.Http"/>.</summary>
    [Required]
    public Uri UserServiceUrl { get; set; } = new("http://127.0.0.1:5101");

    /// <summary>Per attempt, as a typical client would configure it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    [Range(0, 10)]
    public int Retries { get; set; } = 2;
}
