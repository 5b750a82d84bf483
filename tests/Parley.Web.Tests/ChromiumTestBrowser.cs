namespace Parley.Web.Tests;

/// <summary>
/// The browser the tests drive: <c>PARLEY_CHROMIUM</c>, else Debian's <c>/usr/bin/chromium</c>. Without it the browser
/// tests are skipped with a reason, unless <c>PARLEY_REQUIRE_CHROMIUM=1</c> (which <c>.ci/run</c> sets after installing
/// it), when they fail.
/// </summary>
public static class ChromiumTestBrowser
{
    public const string PathVariable = "PARLEY_CHROMIUM";

    public const string RequireVariable = "PARLEY_REQUIRE_CHROMIUM";

    /// <summary>Where the browser is expected.</summary>
    public static string Path => Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why the browser tests are skipped here, or null when they run.</summary>
    public static string? SkipReason => !File.Exists(Path) && !Required
        ? $"Chromium is not installed at {Path}: install it with `apt-get install -y chromium` (.ci/run does), or point {PathVariable} at a Chromium binary; set {RequireVariable}=1 to make this a failure."
        : null;
}

/// <summary>A browser test: skipped with <see cref="ChromiumTestBrowser.SkipReason"/> when Chromium is absent and not required.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (ChromiumTestBrowser.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
