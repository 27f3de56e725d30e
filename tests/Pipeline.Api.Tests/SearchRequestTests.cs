using System.Globalization;
using Pipeline.ReadSide;

namespace Pipeline.Api.Tests;

public sealed class SearchRequestTests
{
    [Theory]
    [InlineData(0, 10, 0)]
    [InlineData(21, 10, 3)]
    [InlineData(10_000, 1, SearchRequest.MaxPage)]
    [InlineData(1_000_000, 50, SearchRequest.MaxPage)]
    public void The_page_count_reported_is_never_beyond_the_last_page_a_search_may_ask_for(long total, int pageSize, long expected)
    {
        var pages = SearchRequest.PageCount(total, pageSize);

        Assert.Equal(expected, pages);
        var size = pageSize.ToString(CultureInfo.InvariantCulture);
        var last = pages.ToString(CultureInfo.InvariantCulture);
        Assert.Empty(new SearchRequest("solar", Page: pages > 0 ? last : null, PageSize: size).Validate().Errors);
    }
}
