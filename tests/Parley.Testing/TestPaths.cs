using System.Reflection;

namespace Parley.Testing;

/// <summary>Paths of the repository, for tests that use its samples.</summary>
public static class TestPaths
{
    /// <summary>The repository root, recorded when Parley.Testing was built.</summary>
    public static string Root { get; } = typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!.TrimEnd('/', '\\');

    /// <summary>CLINC150 "small" (CC BY 3.0, see tests/data/clinc150), for tests that need real intent data.</summary>
    public static string ClincSmall => Path.Combine(Root, "tests", "data", "clinc150", "data_small.json");

    /// <summary>The demo bot pack.</summary>
    public static string ShopBot => Path.Combine(Root, "samples", "bots", "shop");

    /// <summary>The assistant sample bot (calendar, weather, time, calculator).</summary>
    public static string AssistantBot => Path.Combine(Root, "samples", "bots", "assistant");
}
