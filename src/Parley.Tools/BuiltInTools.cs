using Microsoft.Extensions.AI;
using Parley.Tools.Calculator;
using Parley.Tools.Calendar;
using Parley.Tools.Dates;
using Parley.Tools.Invocation;
using Parley.Tools.Weather;

namespace Parley.Tools;

/// <summary>
/// The built-in tools as Microsoft.Extensions.AI functions, by name. Each is a <see cref="GuardedAIFunction"/> (arguments
/// checked against its schema, failures returned as results); the ones that change something (<see cref="SideEffecting"/>)
/// are wrapped in <see cref="ApprovalRequiredAIFunction"/>, so they run only once the user approves.
/// </summary>
public static class BuiltInTools
{
    /// <summary>Arithmetic: "17% of 2,340".</summary>
    public const string Calculator = "calculator";

    /// <summary>The date and time in a city or time zone.</summary>
    public const string CurrentTime = "current_time";

    /// <summary>Current weather and forecast for a city (Open-Meteo).</summary>
    public const string Weather = "weather";

    /// <summary>Books a calendar event (needs approval).</summary>
    public const string CalendarCreate = "calendar_create";

    /// <summary>Lists calendar events.</summary>
    public const string CalendarList = "calendar_list";

    /// <summary>Moves a calendar event (needs approval).</summary>
    public const string CalendarMove = "calendar_move";

    /// <summary>Cancels a calendar event (needs approval).</summary>
    public const string CalendarCancel = "calendar_cancel";

    /// <summary>The status of an order in the pack's order book.</summary>
    public const string OrderStatus = "order_status";

    /// <summary>Searches the bot's knowledge and returns passages with their sources.</summary>
    public const string KnowledgeSearch = "knowledge_search";

    /// <summary>Every built-in tool's name.</summary>
    public static IReadOnlyList<string> Names { get; } = [Calculator, CurrentTime, Weather, CalendarCreate, CalendarList, CalendarMove, CalendarCancel, OrderStatus, KnowledgeSearch];

    /// <summary>The tools that change something and so need the user's approval.</summary>
    public static IReadOnlySet<string> SideEffecting { get; } = new HashSet<string>(StringComparer.Ordinal) { CalendarCreate, CalendarMove, CalendarCancel };

    /// <summary>Creates the tool <paramref name="name"/> for a conversation.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="context">The conversation's services.</param>
    /// <param name="requireApproval">Whether the tool needs approval; null for the default (<see cref="SideEffecting"/>).</param>
    /// <exception cref="ArgumentException">The name is unknown, or the service the tool needs is missing from <paramref name="context"/>.</exception>
    public static AIFunction Create(string name, BuiltInToolContext context, bool? requireApproval = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(context);
        var function = name switch
        {
            Calculator => AIFunctionFactory.Create(
                (string expression) => ArithmeticCalculator.Format(ArithmeticCalculator.Evaluate(expression)),
                new AIFunctionFactoryOptions
                {
                    Name = Calculator,
                    Description = "Calculates arithmetic exactly: + - * / % ^, parentheses, percentages (\"17% of 2,340\"), sqrt, abs, round. Nothing else.",
                }),
            CurrentTime => Create(new CurrentTimeTool(context.TimeProvider, context.TimeZone).GetTime, CurrentTime),
            Weather => Create(new WeatherTool(Need(context.Weather, name, "a weather service")).GetWeatherAsync, Weather),
            CalendarCreate => Create(Calendar(context).CreateAsync, CalendarCreate),
            CalendarList => Create(Calendar(context).ListAsync, CalendarList),
            CalendarMove => Create(Calendar(context).MoveAsync, CalendarMove),
            CalendarCancel => Create(Calendar(context).CancelAsync, CalendarCancel),
            OrderStatus => Create(Need(context.Orders, name, "an order book").GetStatus, OrderStatus),
            KnowledgeSearch => Create(new Knowledge.KnowledgeSearchTool(Need(context.Knowledge, name, "the bot's knowledge")).SearchAsync, KnowledgeSearch),
            _ => throw new ArgumentException($"There is no built-in tool '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
        };

        AIFunction guarded = new GuardedAIFunction(function);
        return requireApproval ?? SideEffecting.Contains(name) ? new ApprovalRequiredAIFunction(guarded) : guarded;
    }

    private static AIFunction Create(Delegate method, string name) =>
        AIFunctionFactory.Create(method, new AIFunctionFactoryOptions { Name = name });

    private static CalendarTools Calendar(BuiltInToolContext context) =>
        new(Need(context.Calendar, "calendar", "a calendar store"), context.Conversation, context.TimeProvider, context.TimeZone);

    private static T Need<T>(T? service, string tool, string what) where T : class =>
        service ?? throw new ArgumentException($"The tool '{tool}' needs {what}, and none was given.", nameof(service));
}
