using CsCheck;

namespace Parley.Testing.Fuzzing;

/// <summary>How many cases a fuzzing property plays.</summary>
public static class FuzzRuns
{
    /// <summary>
    /// <paramref name="usual"/>, or 1 when <c>CsCheck_Seed</c> is set: a failure prints the seed of its
    /// smallest case, and a run with that seed then plays that case alone.
    /// </summary>
    public static long Cases(long usual) => Check.Seed is null ? usual : 1;
}
