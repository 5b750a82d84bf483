using System.Text.Json.Nodes;

namespace Parley.Server.FineTuning;

/// <summary>Something that happened to a job, as OpenAI's <c>fine_tuning.job.event</c>.</summary>
/// <param name="Id">The event id: <c>ftevent-</c> and 24 letters and digits.</param>
/// <param name="CreatedAt">When, in Unix seconds.</param>
/// <param name="Level"><c>info</c>, <c>warn</c> or <c>error</c>.</param>
/// <param name="Message">What happened.</param>
/// <param name="Type"><c>message</c>, or <c>metrics</c> for an epoch's metrics.</param>
/// <param name="Data">The metrics of a <c>metrics</c> event, or null.</param>
public sealed record FineTuningEventObject(string Id, long CreatedAt, string Level, string Message, string Type, JsonObject? Data)
{
    /// <summary>Always <c>fine_tuning.job.event</c>.</summary>
    public string Object => "fine_tuning.job.event";
}
