namespace Parley.Bots.Tools;

/// <summary>The short answers a form understands: yes, no and cancel, in English and Chinese.</summary>
internal static class Words
{
    private static readonly HashSet<string> Yes = new(StringComparer.OrdinalIgnoreCase)
    {
        "yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "go ahead", "confirm", "confirmed", "do it", "please do", "yes please",
        "approve", "approved", "好", "好的", "是", "是的", "确认", "可以", "行",
    };

    private static readonly HashSet<string> No = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "n", "nope", "nah", "don't", "do not", "no thanks", "deny", "denied", "不", "不要", "否", "不用",
    };

    private static readonly HashSet<string> Cancel = new(StringComparer.OrdinalIgnoreCase)
    {
        "cancel", "stop", "never mind", "nevermind", "forget it", "quit", "abort", "取消", "算了",
    };

    public static bool IsYes(string text) => Yes.Contains(Normalize(text));

    public static bool IsNo(string text) => No.Contains(Normalize(text));

    public static bool IsCancel(string text) => Cancel.Contains(Normalize(text));

    private static string Normalize(string text) => text.Trim().TrimEnd('.', '!', '?', '。', '！', '？').Trim();
}
