namespace Parley.Cli;

/// <summary>The process exit codes of <c>parley</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary><c>bot eval</c>: the evaluation ran, and at least one check failed.</summary>
    public const int ChecksFailed = 1;

    /// <summary>The command line was wrong: an unknown option, a missing argument.</summary>
    public const int Usage = 2;

    /// <summary>Configuration (bot pack, settings, database) or the upstream model endpoint failed.</summary>
    public const int Failure = 3;

    /// <summary>The user interrupted the command (Ctrl+C).</summary>
    public const int Interrupted = 130;
}
