using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework.Interfaces;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// The suite's layout holds: every fixture has exactly one kind, its kind is its namespace, and every file's
/// namespace is its folder; so a kind's folder and <c>--filter Category=&lt;kind&gt;</c> name the same tests.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed partial class TestLayoutTests
{
    public static IEnumerable<TestCaseData> Fixtures() =>
        typeof(TestLayoutTests).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && IsFixture(type))
            .OrderBy(type => type.FullName, StringComparer.Ordinal)
            .Select(type => new TestCaseData(type).SetArgDisplayNames(type.Name));

    [TestCaseSource(nameof(Fixtures))]
    public void A_fixture_has_one_kind_which_is_its_namespace(Type fixture)
    {
        var categories = fixture.GetCustomAttributes<CategoryAttribute>(inherit: true).Select(c => c.Name).ToList();
        var kinds = categories.Where(TestCategories.Kinds.Contains).ToList();

        Assert.That(categories, Is.SubsetOf(TestCategories.All), "only the categories TestCategories names");
        Assert.That(kinds, Has.Count.EqualTo(1), "exactly one kind");
        Assert.That(fixture.Namespace, Is.EqualTo($"ConcertBooking.Tests.{kinds[0]}"), "the kind's folder and namespace");
    }

    [Test]
    public void Every_kind_has_fixtures()
    {
        var kinds = Fixtures().Select(c => (Type)c.Arguments[0]!)
            .SelectMany(f => f.GetCustomAttributes<CategoryAttribute>(inherit: true)).Select(c => c.Name).ToHashSet();

        Assert.That(kinds, Is.SupersetOf(TestCategories.Kinds));
    }

    [Test]
    public void Every_source_file_declares_the_namespace_of_its_folder()
    {
        var tests = Path.Combine(RepositoryRoot.Find(), "Tests");
        var files = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(file => !Path.GetRelativePath(tests, file).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToList();

        Assert.That(files, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var file in files)
            {
                var folder = Path.GetDirectoryName(Path.GetRelativePath(tests, file))!;
                var expected = string.Join('.', new[] { "ConcertBooking.Tests" }.Concat(folder.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries)));
                var declared = FileScopedNamespace().Match(File.ReadAllText(file));
                Assert.That(declared.Success ? declared.Groups[1].Value : "(none)", Is.EqualTo(expected), Path.GetRelativePath(tests, file));
            }
        });
    }

    private static bool IsFixture(Type type) =>
        type.IsDefined(typeof(TestFixtureAttribute), inherit: true)
        || type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public)
            .Any(method => method.GetCustomAttributes(inherit: true).Any(a => a is ITestBuilder or ISimpleTestBuilder));

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();
}
