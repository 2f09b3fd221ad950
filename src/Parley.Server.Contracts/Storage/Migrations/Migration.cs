namespace Parley.Server.Storage.Migrations;

/// <summary>One step of a database schema, applied once and recorded in <c>schema_migrations</c>.</summary>
/// <param name="Version">Its place in the order, from 1; never reused or renumbered once released.</param>
/// <param name="Name">What it does, for people reading <c>schema_migrations</c>.</param>
/// <param name="Sql">The statements, run in one transaction with the other missing migrations.</param>
public sealed record Migration(int Version, string Name, string Sql);
