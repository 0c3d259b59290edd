-- ---
-- name: content_reach
-- title: {en: "Official account articles", zh: "公众号文章触达"}
-- grain: week
-- params: [start, end]
-- value: read_rate
-- description:
--   en: >-
--     The reach of the official account's articles in the period: readers
--     (people who opened an article, counted per article and day as the
--     platform counts them), reads, sharers, savers and readers of the
--     original page; read rate = readers / followers at the period's end
--     (reads per follower), share rate = sharers / readers. Rows are the ten
--     articles most read in the period; the all-articles row counts every
--     article read in it, over the followers of their accounts.
--   zh: >-
--     本期公众号文章的触达：阅读人数（按文章和日期统计，与平台口径一致）、阅读次数、分享人数、收藏人数和阅读原文人数；
--     阅读率 = 阅读人数 / 期末粉丝数（人均阅读），分享率 = 分享人数 / 阅读人数。
--     每行是本期阅读最多的十篇文章之一；全部文章一行统计本期被阅读的所有文章，分母为其所属公众号的粉丝数。
-- rows: {of: article, label: {en: "Article", zh: "文章"}, all: {en: "All articles", zh: "全部文章"}}
-- table: {order: 14, title: {en: "Top articles", zh: "热门文章"},
--         note: {en: "The ten articles most read in {week}; the all-articles row counts every article read in it.", zh: "{week} 阅读最多的十篇文章；全部文章一行统计本周被阅读的所有文章。"}}
-- columns:
--   - {name: read_users, format: count, good: up, all: total,
--      label: {en: "Readers", zh: "阅读人数"},
--      about: {en: "People who opened the article, per day.", zh: "打开文章的人数（按日统计）。"}}
--   - {name: reads, format: count, good: up, all: total,
--      label: {en: "Reads", zh: "阅读次数"},
--      about: {en: "Times the article was opened.", zh: "文章被打开的次数。"}}
--   - {name: share_users, format: count, good: up, all: total,
--      label: {en: "Sharers", zh: "分享人数"},
--      about: {en: "People who shared the article.", zh: "分享文章的人数。"}}
--   - {name: fav_users, format: count, good: up, all: total,
--      label: {en: "Savers", zh: "收藏人数"},
--      about: {en: "People who saved the article.", zh: "收藏文章的人数。"}}
--   - {name: original_read_users, format: count, good: up, all: total,
--      label: {en: "Read original", zh: "阅读原文人数"},
--      about: {en: "People who opened the article's \"read original\" link.", zh: "点击“阅读原文”的人数。"}}
--   - {name: read_rate, format: percent, good: up, all: pooled, card: {order: 46},
--      label: {en: "Read rate", zh: "阅读率"},
--      about: {en: "Article readers / followers at the period's end: reads per follower.", zh: "文章阅读人数 / 期末粉丝数：人均阅读。"}}
--   - {name: share_rate, format: percent, good: up, all: pooled,
--      label: {en: "Share rate", zh: "分享率"},
--      about: {en: "Sharers / readers.", zh: "分享人数 / 阅读人数。"}}
-- ---
WITH per_article AS (
    SELECT d.account_id, d.article_id,
           sum(d.read_users)          AS read_users,
           sum(d.reads)               AS reads,
           sum(d.share_users)         AS share_users,
           sum(d.fav_users)           AS fav_users,
           sum(d.original_read_users) AS original_read_users
    FROM article_days d
    WHERE d.channel = 'all' AND d.day >= $start AND d.day < $end
    GROUP BY d.account_id, d.article_id
),
-- Each account's followers at the end of the period: its last day known.
followers AS (
    SELECT account_id, arg_max(cumulate_users, day) AS n
    FROM account_follows
    WHERE source = 'all' AND cumulate_users IS NOT NULL AND day < $end
    GROUP BY account_id
),
ranked AS (
    SELECT p.*, a.title,
           row_number() OVER (ORDER BY p.read_users DESC NULLS LAST, p.reads DESC NULLS LAST, a.title, p.article_id) AS rank
    FROM per_article p
    JOIN articles a USING (account_id, article_id)
)
SELECT * FROM (
SELECT (hash(r.account_id, r.article_id) >> 1)::BIGINT AS group_id,
       r.title                                        AS group_name,
       r.read_users::BIGINT                           AS read_users,
       r.reads::BIGINT                                AS reads,
       r.share_users::BIGINT                          AS share_users,
       r.fav_users::BIGINT                            AS fav_users,
       r.original_read_users::BIGINT                  AS original_read_users,
       r.read_users / nullif(f.n, 0)                  AS read_rate,
       r.share_users / nullif(r.read_users, 0)        AS share_rate
FROM ranked r
LEFT JOIN followers f USING (account_id)
WHERE r.rank <= 10
UNION ALL
SELECT NULL, NULL,
       sum(read_users)::BIGINT, sum(reads)::BIGINT, sum(share_users)::BIGINT, sum(fav_users)::BIGINT,
       sum(original_read_users)::BIGINT,
       sum(read_users) / nullif((SELECT sum(n) FROM followers WHERE account_id IN (SELECT account_id FROM per_article)), 0),
       sum(share_users) / nullif(sum(read_users), 0)
FROM per_article
)
ORDER BY group_id IS NOT NULL, read_users DESC NULLS LAST, group_name;
