using System.Diagnostics;
using System.Text.Json;

namespace ConcertBooking.Tests.Faults;

/// <summary>
/// A service deployed outside Development with the keys this repository publishes, or with none, must not start: it
/// exits at once, and its output names the setting to fix. Each case starts the real built program as `make up`
/// does, in Production, with the development settings copied in as environment variables (as a careless deployment
/// would) or left out.
/// </summary>
[TestFixture]
[Category(TestCategories.Faults)]
public sealed class StartupSecretsTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("UserService", true, new[] { "Identity:SigningKeys:0:PrivateKeyPem", "development key" })
            .SetArgDisplayNames("UserService", "with the development signing key");
        yield return new TestCaseData("UserService", false, new[] { "Identity:SigningKeys" }).SetArgDisplayNames("UserService", "without a signing key");
        yield return new TestCaseData("ConcertService", true, new[] { "Authentication:IssuerKeys:0:PublicKeyPem", "EntryPass:SigningKey", "development key" })
            .SetArgDisplayNames("ConcertService", "with the development issuer and entry-pass keys");
        yield return new TestCaseData("ConcertService", false, new[] { "Authentication:IssuerKeys", "SigningKey" })
            .SetArgDisplayNames("ConcertService", "without issuer or entry-pass key");
        yield return new TestCaseData("PaymentService", false, new[] { "Authentication:IssuerKeys" }).SetArgDisplayNames("PaymentService", "without an issuer key");
        yield return new TestCaseData("TokenService", true, new[] { "Authentication:IssuerKeys:0:PublicKeyPem", "EntryPass:SigningKey" })
            .SetArgDisplayNames("TokenService", "with the development issuer and entry-pass keys");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Outside_Development_a_service_with_a_published_key_or_none_exits_naming_the_setting(
        string project, bool withDevelopmentKeys, string[] named)
    {
        var root = RepositoryRoot.Find();
        var dll = Path.Combine(root, project, "bin", RepositoryRoot.BuildConfiguration(), "net10.0", $"{project}.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.Combine(root, project), RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["ConnectionStrings__Database"] = PostgresDatabases.ConnectionString(PostgresDatabases.NewName("startup"));
        if (withDevelopmentKeys)
        {
            foreach (var (key, value) in Flatten(Path.Combine(root, project, "appsettings.Development.json")))
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{project} kept running in Production {(withDevelopmentKeys ? "with the development keys" : "without keys")}");
        }

        var said = await output + await error;
        Assert.That(process.ExitCode, Is.Not.Zero, said);
        foreach (var setting in named)
        {
            Assert.That(said, Does.Contain(setting), $"the output names {setting}");
        }

        TestContext.Out.WriteLine($"Verified: {project} exited with {process.ExitCode}: {said.Split('\n').FirstOrDefault(l => l.Contains(named[0], StringComparison.Ordinal))?.Trim()}");
    }

    /// <summary>A JSON settings file as environment variables (<c>Identity__SigningKeys__0__KeyId</c>).</summary>
    private static IEnumerable<KeyValuePair<string, string>> Flatten(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var settings = new List<KeyValuePair<string, string>>();
        Walk(document.RootElement, "");
        return settings;

        void Walk(JsonElement element, string prefix)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject().Where(p => p.Name != "//"))
                    {
                        Walk(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}__{property.Name}");
                    }

                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item, $"{prefix}__{index++}");
                    }

                    break;
                default:
                    settings.Add(new(prefix, element.ToString()));
                    break;
            }
        }
    }
}
