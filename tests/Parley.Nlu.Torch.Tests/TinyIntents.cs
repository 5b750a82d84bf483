using Parley.Nlu.Intents;

namespace Parley.Nlu.Torch.Tests;

/// <summary>Three intents that the words alone separate, small enough for training tests that take seconds.</summary>
internal static class TinyIntents
{
    public static IReadOnlyList<LabeledExample> Training { get; } =
    [
        new("what is the weather today", "weather"),
        new("will it rain tomorrow", "weather"),
        new("is it sunny outside", "weather"),
        new("how cold is it this morning", "weather"),
        new("play some jazz music", "music"),
        new("put on my favourite song", "music"),
        new("turn the music up", "music"),
        new("play the next track", "music"),
        new("set a timer for ten minutes", "timer"),
        new("start a countdown of five minutes", "timer"),
        new("remind me in an hour", "timer"),
        new("cancel my timer", "timer"),
    ];

    public static IReadOnlyList<LabeledExample> Validation { get; } =
    [
        new("do I need an umbrella today", "weather"),
        new("what's the forecast", "weather"),
        new("play a song by the beatles", "music"),
        new("skip this song", "music"),
        new("set an alarm timer for noon", "timer"),
        new("how long is left on my timer", "timer"),
    ];
}
