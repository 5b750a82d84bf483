using System.Diagnostics.Metrics;

namespace Parley.Server.Telemetry;

/// <summary>
/// Parley's own instruments on the <see cref="MeterName"/> meter: tokens in and out, time to first token of streams,
/// errors by type and the number of open streams. Request counts and latency come from ASP.NET Core's own meter.
/// </summary>
public sealed class ServerMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c>.</summary>
    public const string MeterName = "Parley.Server";

    private readonly Counter<long> _inputTokens;
    private readonly Counter<long> _outputTokens;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Counter<long> _errors;
    private readonly UpDownCounter<long> _activeStreams;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public ServerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _inputTokens = meter.CreateCounter<long>("parley.server.tokens.input", "{token}", "Prompt tokens of chat completions.");
        _outputTokens = meter.CreateCounter<long>("parley.server.tokens.output", "{token}", "Reply tokens of chat completions.");
        _timeToFirstToken = meter.CreateHistogram<double>("parley.server.time_to_first_token", "s", "Time from a streamed request to its first reply text.");
        _errors = meter.CreateCounter<long>("parley.server.errors", "{error}", "Error answers, by OpenAI error type and code.");
        _activeStreams = meter.CreateUpDownCounter<long>("parley.server.active_streams", "{stream}", "Chat completion streams open now.");
    }

    /// <summary>Counts the tokens of one completion of <paramref name="model"/>.</summary>
    public void RecordTokens(string model, int input, int output)
    {
        var tag = new KeyValuePair<string, object?>("model", model);
        _inputTokens.Add(input, tag);
        _outputTokens.Add(output, tag);
    }

    /// <summary>Records how long a stream of <paramref name="model"/> took to send its first text.</summary>
    public void RecordTimeToFirstToken(string model, TimeSpan elapsed) =>
        _timeToFirstToken.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("model", model));

    /// <summary>Counts one error answer.</summary>
    public void RecordError(string type, string? code) =>
        _errors.Add(1, new KeyValuePair<string, object?>("error.type", type), new KeyValuePair<string, object?>("code", code ?? "none"));

    /// <summary>Notes that a stream opened (+1) or closed (-1).</summary>
    public void StreamChanged(int delta) => _activeStreams.Add(delta);
}
