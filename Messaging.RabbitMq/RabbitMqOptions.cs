using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.Messaging.RabbitMq;

/// <summary>Bound from <c>Messaging:RabbitMq</c>; used when <c>Messaging:Transport</c> is <c>RabbitMq</c>.</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "Messaging:RabbitMq";

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public ushort Port { get; set; } = 5672;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "guest";

    [Required]
    public string Password { get; set; } = "guest";
}
