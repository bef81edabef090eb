namespace CoreConsole.Application.Common.Paging;

/// <summary>One page of rows plus the total, for server-side paged grids.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public static class PagingExtensions
{
    public const int MaxPageSize = 500;
    public static int ClampPageSize(int size) => Math.Clamp(size, 1, MaxPageSize);
}
