namespace ConcertBooking.Tests.Deployment;

/// <summary>
/// What `make up` and `make demo` print and send, held to the trust model: the operations key never inside a URL (it
/// would land in terminal scrollback, browser history and proxy logs), and the demo signing in and sending its token.
/// </summary>
[TestFixture]
[Category(TestCategories.Deployment)]
public sealed class RunScriptTests
{
    private static string Script(string name) => File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "scripts", name));

    [Test]
    public void Make_up_prints_no_key_inside_a_url_and_makes_a_key_long_enough()
    {
        var up = Script("up.sh");

        Assert.That(up, Does.Not.Contain("?apiKey=").IgnoreCase.And.Not.Contain("&apiKey=").IgnoreCase, "no key in a query string");
        Assert.That(up.Split('\n').Where(line => line.Contains("http", StringComparison.Ordinal) && line.Contains("OPS_KEY", StringComparison.Ordinal)),
            Is.Empty, "no line puts the key next to a URL");
        Assert.That(up, Does.Contain("head -c 48 /dev/urandom"), "48 random bytes: comfortably above Ops:ApiKey's 32-character minimum");
    }

    [Test]
    public void Make_demo_signs_in_and_sends_the_token_and_names_no_user_in_a_body()
    {
        var demo = Script("demo.sh");

        Assert.That(demo, Does.Contain("/auth/token").And.Contain("Authorization: Bearer").And.Contain("password"));
        Assert.That(demo, Does.Not.Contain("\\\"userId\\\""), "the user comes from the token, never from a request body");
    }
}
