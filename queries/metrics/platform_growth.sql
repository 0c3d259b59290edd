-- ---
-- name: platform_growth
-- title: {en: "Official account followers", zh: "公众号粉丝增长"}
-- grain: week
-- params: [start, end]
-- value: follows_net
-- description:
--   en: >-
--     The official account's followers in the period, per account: new
--     follows, unfollows, net follows (new - lost), followers at the end of
--     the last day of the period the data gives them for, followers at its
--     start (those at the end of its first day with data less that day's
--     net follows, and any day before it in the period), growth
--     rate = net follows / followers at the start, and new follows by source
--     (search, QR code, business card, account name in an article, after
--     payment, ads, other). Days are the account's days as its backend and
--     data API count them. Rows are accounts, not groups; the all-accounts
--     row adds them up.
--   zh: >-
--     本期公众号粉丝，按公众号统计：新增关注、取消关注、净增关注（新增 - 取消）、本期数据所及最后一天结束时的累积关注人数、
--     期初粉丝数（本期第一个有数据的日子结束时的人数减去截至该日的净增）、增长率 = 净增关注 / 期初粉丝数，以及按来源的新增关注
--     （搜一搜、扫描二维码、名片分享、文章内账号名称、支付后关注、微信广告、其他）。日期按公众号后台和数据接口的统计日。
--     每行是一个公众号而不是群；全部公众号一行把各号相加。
-- rows: {of: account, label: {en: "Account", zh: "公众号"}, all: {en: "All accounts", zh: "全部公众号"}}
-- table: {order: 12, title: {en: "Official account", zh: "公众号"}}
-- charts:
--   - {id: followers, order: 12, kind: bar, title: {en: "Official account followers", zh: "公众号粉丝"}}
--   - {id: follows_by_source, order: 14, kind: stacked, fallback: follows_new,
--      title: {en: "New followers by source", zh: "各来源新增关注"}}
-- columns:
--   - {name: follows_new, format: count, good: up, all: total, card: {order: 44},
--      label: {en: "New followers", zh: "新增关注"},
--      about: {en: "People who followed the official account in the period.", zh: "本期关注公众号的人数。"}}
--   - {name: follows_lost, format: count, good: down, all: total,
--      label: {en: "Unfollows", zh: "取消关注"},
--      about: {en: "People who unfollowed it in the period.", zh: "本期取消关注的人数。"}}
--   - {name: follows_net, format: count, good: up, all: total, trend: {chart: followers},
--      label: {en: "Net follows", zh: "净增关注"},
--      about: {en: "New followers minus unfollows.", zh: "新增关注减去取消关注。"}}
--   - {name: followers_start, format: count, good: none, all: total,
--      label: {en: "Followers at start", zh: "期初粉丝"},
--      about: {en: "Followers at the start of the period: those of its first day with data less the net follows up to then.", zh: "期初粉丝数：本期第一个有数据的日子的粉丝数减去截至当日的净增关注。"}}
--   - {name: followers_end, format: count, good: up, all: total,
--      card: {order: 42, label: {en: "Followers", zh: "公众号粉丝"}},
--      trend: {chart: followers, kind: line, axis: right},
--      label: {en: "Followers at end", zh: "期末粉丝"},
--      about: {en: "Followers of the official account at the end of the period's last day with data.", zh: "本期有数据的最后一天结束时的公众号累积关注人数。"}}
--   - {name: follow_growth_rate, format: percent, good: up, all: pooled,
--      label: {en: "Follower growth rate", zh: "粉丝增长率"},
--      about: {en: "Net follows / followers at the start.", zh: "净增关注 / 期初粉丝数。"}}
--   - {name: follows_search, format: count, good: up, all: total, trend: {chart: follows_by_source},
--      label: {en: "Search", zh: "搜一搜"},
--      about: {en: "New followers who found the account by search.", zh: "通过搜索关注的人数。"}}
--   - {name: follows_qr, format: count, good: up, all: total, trend: {chart: follows_by_source},
--      label: {en: "QR code", zh: "扫描二维码"},
--      about: {en: "New followers who scanned its QR code.", zh: "扫描二维码关注的人数。"}}
--   - {name: follows_card_share, format: count, good: up, all: total, trend: {chart: follows_by_source},
--      label: {en: "Business card", zh: "名片分享"},
--      about: {en: "New followers from a shared business card.", zh: "通过名片分享关注的人数。"}}
--   - {name: follows_article, format: count, good: up, all: total, trend: {chart: follows_by_source},
--      label: {en: "From an article", zh: "文章内账号名称"},
--      about: {en: "New followers from the account's name in an article.", zh: "通过文章内账号名称关注的人数。"}}
--   - {name: follows_payment, format: count, good: up, all: total, trend: {chart: follows_by_source},
--      label: {en: "After payment", zh: "支付后关注"},
--      about: {en: "New followers after paying.", zh: "支付后关注的人数。"}}
--   - {name: follows_ads, format: count, good: up, all: total, trend: {chart: follows_by_source},
--      label: {en: "Ads", zh: "微信广告"},
--      about: {en: "New followers from ads.", zh: "通过微信广告关注的人数。"}}
--   - {name: follows_other, format: count, good: none, all: total, trend: {chart: follows_by_source},
--      label: {en: "Other sources", zh: "其他来源"},
--      about: {en: "New followers from any other source (reposts, mini programs, Channels, live, other).", zh: "其他来源（他人转载、小程序、视频号、直播、其他）的新增关注。"}}
-- ---
WITH days AS (
    SELECT account_id, day, source, new_users, cancel_users, cumulate_users
    FROM account_follows
    WHERE day >= $start AND day < $end
),
per_account AS (
    SELECT a.account_id, a.name,
           sum(d.new_users) FILTER (WHERE d.source = 'all')    AS follows_new,
           sum(d.cancel_users) FILTER (WHERE d.source = 'all') AS follows_lost,
           min(d.day) FILTER (WHERE d.source = 'all' AND d.cumulate_users IS NOT NULL) AS first_known,
           arg_min(d.cumulate_users, d.day) FILTER (WHERE d.source = 'all' AND d.cumulate_users IS NOT NULL) AS followers_first,
           arg_max(d.cumulate_users, d.day) FILTER (WHERE d.source = 'all' AND d.cumulate_users IS NOT NULL) AS followers_end,
           sum(d.new_users) FILTER (WHERE d.source = 'search')     AS follows_search,
           sum(d.new_users) FILTER (WHERE d.source = 'qr')         AS follows_qr,
           sum(d.new_users) FILTER (WHERE d.source = 'card_share') AS follows_card_share,
           sum(d.new_users) FILTER (WHERE d.source = 'article')    AS follows_article,
           sum(d.new_users) FILTER (WHERE d.source = 'payment')    AS follows_payment,
           sum(d.new_users) FILTER (WHERE d.source = 'ads')        AS follows_ads,
           sum(d.new_users) FILTER (WHERE d.source NOT IN ('all', 'search', 'qr', 'card_share', 'article', 'payment', 'ads')) AS follows_other
    FROM accounts a
    LEFT JOIN days d USING (account_id)
    GROUP BY a.account_id, a.name
),
-- Net follows up to the first day with followers known: what separates
-- the followers at the start of the period from those at that day's end
-- (a day missing later in the period does not change the start).
to_first AS (
    SELECT p.account_id, sum(d.new_users - d.cancel_users) AS net
    FROM per_account p
    JOIN days d ON d.account_id = p.account_id AND d.source = 'all' AND d.day <= p.first_known
    GROUP BY p.account_id
)
SELECT p.account_id AS group_id,
       p.name       AS group_name,
       sum(p.follows_new)::BIGINT                          AS follows_new,
       sum(p.follows_lost)::BIGINT                         AS follows_lost,
       (sum(p.follows_new) - sum(p.follows_lost))::BIGINT  AS follows_net,
       sum(p.followers_first - t.net)::BIGINT              AS followers_start,
       sum(p.followers_end)::BIGINT                        AS followers_end,
       (sum(p.follows_new) - sum(p.follows_lost)) / nullif(sum(p.followers_first - t.net), 0) AS follow_growth_rate,
       sum(p.follows_search)::BIGINT                       AS follows_search,
       sum(p.follows_qr)::BIGINT                           AS follows_qr,
       sum(p.follows_card_share)::BIGINT                   AS follows_card_share,
       sum(p.follows_article)::BIGINT                      AS follows_article,
       sum(p.follows_payment)::BIGINT                      AS follows_payment,
       sum(p.follows_ads)::BIGINT                          AS follows_ads,
       sum(p.follows_other)::BIGINT                        AS follows_other
FROM per_account p
LEFT JOIN to_first t USING (account_id)
GROUP BY GROUPING SETS ((p.account_id, p.name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
