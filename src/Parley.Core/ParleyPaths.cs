namespace Parley.Core;

/// <summary>Where Parley keeps its files on this machine.</summary>
public static class ParleyPaths
{
    /// <summary>The environment variable that, when set, names Parley's data folder: <c>PARLEY_DATA_DIR</c>.</summary>
    public const string DataDirectoryVariable = "PARLEY_DATA_DIR";

    /// <summary>
    /// The data folder (conversation database, caches): <c>$PARLEY_DATA_DIR</c> when set, else <c>parley</c> under the
    /// user's local application data folder (<c>~/.local/share/parley</c> on Linux, <c>%LOCALAPPDATA%\parley</c> on
    /// Windows), else <c>.parley</c> in the working folder when there is no home folder.
    /// </summary>
    /// <param name="getEnvironmentVariable">Reads an environment variable; the process environment by default.</param>
    public static string GetDataDirectory(Func<string, string?>? getEnvironmentVariable = null)
    {
        var configured = (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(DataDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var appData = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(appData) ? Path.GetFullPath(".parley") : Path.Combine(appData, "parley");
    }
}
