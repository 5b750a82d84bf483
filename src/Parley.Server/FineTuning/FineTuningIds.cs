using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Parley.Server.FineTuning;

/// <summary>Makes and checks the ids of files, jobs, events and checkpoints: a prefix and 24 random letters and digits.</summary>
internal static partial class FineTuningIds
{
    public const string File = "file-";
    public const string Job = "ftjob-";
    public const string Event = "ftevent-";
    public const string Checkpoint = "ftckpt-";

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 24);

    /// <summary>Whether <paramref name="id"/> is a well-formed id with <paramref name="prefix"/> (so it is safe in a path).</summary>
    public static bool IsValid(string? id, string prefix) =>
        id is not null && id.StartsWith(prefix, StringComparison.Ordinal) && Suffix().IsMatch(id.AsSpan(prefix.Length));

    [GeneratedRegex("^[A-Za-z0-9]{24}$")]
    private static partial Regex Suffix();
}
