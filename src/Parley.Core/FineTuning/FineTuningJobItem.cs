namespace Parley.Core.FineTuning;

/// <summary>An event or a checkpoint of a fine-tuning job, as the API shows it (<see cref="Data"/>, a JSON object).</summary>
/// <param name="Id">Its id.</param>
/// <param name="JobId">The job it belongs to.</param>
/// <param name="CreatedAt">When, in Unix seconds.</param>
/// <param name="Data">The object as the API shows it, kept as written.</param>
public sealed record FineTuningJobItem(string Id, string JobId, long CreatedAt, string Data);
