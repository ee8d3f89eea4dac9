namespace ConcertBooking.Messaging.Operations;

/// <summary>The receive endpoints (queues) of this service, as the bus configured them.</summary>
public sealed class ReceiveEndpoints
{
    private readonly HashSet<string> _names = [];

    public void Add(string queue)
    {
        lock (_names)
        {
            _names.Add(queue);
        }
    }

    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_names)
            {
                return [.. _names.Order()];
            }
        }
    }
}
