using System.ComponentModel.DataAnnotations;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Outbox;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging;

/// <summary>Bound from the <c>Messaging</c> configuration section; each transport binds its own sub-section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>The broker, by the name its transport registers (<c>RabbitMq</c>, <c>Kafka</c>), chosen at start.</summary>
    [Required]
    public string Transport { get; set; } = "RabbitMq";

    /// <summary>Prefix of this service's queue names, so services sharing a broker never share a queue.</summary>
    [Required]
    public string ServiceName { get; set; } = "";

    [ValidateObjectMembers]
    public OutboxOptions Outbox { get; set; } = new();

    [ValidateObjectMembers]
    public InboxOptions Inbox { get; set; } = new();

    [ValidateObjectMembers]
    public ConsumerOptions Consumers { get; set; } = new();
}
