using Parley.Storage.Conformance;

namespace Parley.Storage.Postgres.Tests;

[PostgresRequired]
public sealed class PostgresConversationStoreConformanceTests() : ConversationStoreConformanceTests(new PostgresBackend());

[PostgresRequired]
public sealed class PostgresCalendarStoreConformanceTests() : CalendarStoreConformanceTests(new PostgresBackend());

[PostgresRequired]
public sealed class PostgresRunStoreConformanceTests() : RunStoreConformanceTests(new PostgresBackend());

[PostgresRequired]
public sealed class PostgresConversationEventConformanceTests() : ConversationEventConformanceTests(new PostgresBackend());

[PostgresRequired]
public sealed class PostgresFineTuningStoreConformanceTests() : FineTuningStoreConformanceTests(new PostgresBackend());
