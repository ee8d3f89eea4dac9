namespace ConcertBooking.Testing;

/// <summary>The databases a run named, whichever server they are on, so that the end of the run can drop them all.</summary>
public sealed class DatabaseNames
{
    private readonly List<string> _named = [];

    /// <summary>A fresh name of this run for <paramref name="purpose"/>; whoever uses it creates the database (the services do when they migrate).</summary>
    public string New(string purpose)
    {
        var name = $"cb_{TestEnvironment.RunId}_{purpose}_{Guid.NewGuid():N}"[..50].ToLowerInvariant();
        lock (_named)
        {
            _named.Add(name);
        }

        return name;
    }

    /// <summary>Every name given out so far, forgotten here: the caller drops them.</summary>
    public string[] TakeAll()
    {
        lock (_named)
        {
            string[] names = [.. _named];
            _named.Clear();
            return names;
        }
    }
}
