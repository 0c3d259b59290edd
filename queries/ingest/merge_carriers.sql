-- Merges the staged rows of carriers that are not groups (official
-- accounts) into their tables; the loader runs it only when the files had
-- such rows. A day enters as its first file (in load order) has it; a
-- later file fills only the counts left NULL (getusercumulate after
-- getusersummary), so loading the same rows twice adds nothing and an
-- overlapping later export adds only its new days.

-- An account is named as the last file of the load that has it names it.
INSERT INTO accounts
SELECT account_id, platform, external_id, name
FROM (SELECT DISTINCT ON (account_id) * FROM stage_accounts ORDER BY account_id, file_id DESC)
ON CONFLICT (account_id) DO UPDATE SET name = excluded.name;

INSERT INTO account_follows
SELECT account_id, day, source,
       first(new_users ORDER BY file_id, line) FILTER (WHERE new_users IS NOT NULL),
       first(cancel_users ORDER BY file_id, line) FILTER (WHERE cancel_users IS NOT NULL),
       first(cumulate_users ORDER BY file_id, line) FILTER (WHERE cumulate_users IS NOT NULL),
       min(file_id), arg_min(line, file_id)
FROM stage_follows
GROUP BY account_id, day, source
ON CONFLICT (account_id, day, source) DO UPDATE SET
    new_users      = coalesce(account_follows.new_users, excluded.new_users),
    cancel_users   = coalesce(account_follows.cancel_users, excluded.cancel_users),
    cumulate_users = coalesce(account_follows.cumulate_users, excluded.cumulate_users);

-- An article keeps its first title; a publication time fills a NULL one.
INSERT INTO articles
SELECT account_id, article_id,
       arg_min(title, file_id * 1e12 + line),
       min(published)
FROM stage_content
GROUP BY account_id, article_id
ON CONFLICT (account_id, article_id) DO UPDATE SET
    published = coalesce(articles.published, excluded.published);

INSERT INTO article_days
SELECT account_id, article_id, day, channel,
       first(read_users ORDER BY file_id, line) FILTER (WHERE read_users IS NOT NULL),
       first(reads ORDER BY file_id, line) FILTER (WHERE reads IS NOT NULL),
       first(original_read_users ORDER BY file_id, line) FILTER (WHERE original_read_users IS NOT NULL),
       first(original_reads ORDER BY file_id, line) FILTER (WHERE original_reads IS NOT NULL),
       first(share_users ORDER BY file_id, line) FILTER (WHERE share_users IS NOT NULL),
       first(shares ORDER BY file_id, line) FILTER (WHERE shares IS NOT NULL),
       first(fav_users ORDER BY file_id, line) FILTER (WHERE fav_users IS NOT NULL),
       first(favs ORDER BY file_id, line) FILTER (WHERE favs IS NOT NULL),
       min(file_id), arg_min(line, file_id)
FROM stage_content
GROUP BY account_id, article_id, day, channel
ON CONFLICT (account_id, article_id, day, channel) DO UPDATE SET
    read_users          = coalesce(article_days.read_users, excluded.read_users),
    reads               = coalesce(article_days.reads, excluded.reads),
    original_read_users = coalesce(article_days.original_read_users, excluded.original_read_users),
    original_reads      = coalesce(article_days.original_reads, excluded.original_reads),
    share_users         = coalesce(article_days.share_users, excluded.share_users),
    shares              = coalesce(article_days.shares, excluded.shares),
    fav_users           = coalesce(article_days.fav_users, excluded.fav_users),
    favs                = coalesce(article_days.favs, excluded.favs);
