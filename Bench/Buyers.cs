using ConcertBooking.Testing;

namespace ConcertBooking.Bench;

/// <summary>A phase's buyers: signed up and in, and known to every replica before the phase asks anything of them.</summary>
internal static class Buyers
{
    /// <summary>The buyers signed up and in, in signup order; a buyer UserService did not answer is left out.</summary>
    public static async Task<List<BuyerSession>> SignUpAsync(
        BenchSystem system, BookingClients clients, string namePrefix, int count, CancellationToken cancellationToken)
    {
        var sessions = new BuyerSession?[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, token) =>
        {
            sessions[i] = await BuyerSession.SignUpAsync(clients, $"{namePrefix}{i}", $"{namePrefix}{i}.{Guid.NewGuid():N}@bench.example", token);
        });
        var signedUp = sessions.OfType<BuyerSession>().ToList();
        foreach (var replica in BenchSystem.Replicas)
        {
            await Poll.UntilAsync(
                () => system.ScalarAsync(replica, $"""SELECT count(*) FROM {replica}."Users" WHERE "Name" LIKE '{namePrefix}%'""", cancellationToken),
                known => known >= signedUp.Count, $"{replica} to hold the {signedUp.Count} buyers", TimeSpan.FromMinutes(5), cancellationToken: cancellationToken);
        }

        return signedUp;
    }
}
