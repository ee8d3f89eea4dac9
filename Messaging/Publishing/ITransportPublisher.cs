namespace ConcertBooking.Messaging.Publishing;

/// <summary>
/// The seam between the relay and a broker. An implementation returns only once the broker has confirmed the
/// message (publisher confirm, acks=all); throwing means "not confirmed", and the relay tries again later.
/// </summary>
public interface ITransportPublisher
{
    Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken);
}
