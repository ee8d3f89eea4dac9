namespace ConcertBooking.Testing;

/// <summary>Where the checkout is, and which build of it is running: the services are started from its build output.</summary>
public static class RepositoryRoot
{
    /// <summary>The folder holding ConcertBooking.sln, above the running program.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConcertBooking.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ConcertBooking.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The configuration the running program was built in (its output is bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string BuildConfiguration() =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
}
