using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.ConcertService.Concerts;

/// <summary>One entry of <c>Concerts:Demo</c>.</summary>
public sealed class DemoConcert
{
    public Guid Id { get; set; }

    [Required]
    [MaxLength(200)]
    public string Name { get; set; } = "";

    [MaxLength(200)]
    public string Venue { get; set; } = "";

    public DateTimeOffset StartsAt { get; set; }

    /// <summary>Row letters; seats are labelled row + number ("A1"). Empty by default: the configuration binder
    /// appends to a pre-filled list instead of replacing it.</summary>
    [MinLength(1)]
    public List<string> Rows { get; set; } = [];

    [Range(1, 1000)]
    public int SeatsPerRow { get; set; } = 10;

    [Range(typeof(decimal), "0.01", "100000")]
    public decimal Price { get; set; } = 50m;
}
