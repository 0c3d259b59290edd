-- Carriers beside groups (issue #17): a WeChat official account has
-- followers and articles, not members and messages. Its days are keyed by
-- the instant the account's local day begins (stored, like every time, as
-- UTC wall time), so a metric cuts them by $start and $end as it cuts
-- messages. Counts an export does not give are NULL: getusersummary has no
-- cumulative followers, getusercumulate no new ones; a later file fills
-- what an earlier one left NULL and changes nothing else.

CREATE TABLE accounts (
    account_id  BIGINT PRIMARY KEY,
    platform    VARCHAR NOT NULL, -- wechat-oa
    external_id VARCHAR NOT NULL, -- the name its files give it, or 'default'
    name        VARCHAR NOT NULL
);

-- source: 'all' for the day over every follow source, else one of search,
-- qr, card_share, article, payment, ads, repost, mini_program, channels,
-- live, other, or code_N for an API code no list names.
CREATE TABLE account_follows (
    account_id     BIGINT NOT NULL,
    day            TIMESTAMP NOT NULL,
    source         VARCHAR NOT NULL,
    new_users      BIGINT,
    cancel_users   BIGINT,
    cumulate_users BIGINT,
    file_id        INTEGER,
    line           BIGINT,
    PRIMARY KEY (account_id, day, source)
);

-- One row per article (msgid "2247483650_1", else a key of its title).
CREATE TABLE articles (
    account_id BIGINT NOT NULL,
    article_id VARCHAR NOT NULL,
    title      VARCHAR NOT NULL,
    published  TIMESTAMP,
    PRIMARY KEY (account_id, article_id)
);

-- An article's day: readers (人数) and reads (次数) of its page and of the
-- original page, shares and saves. channel: 'all', or where readers came
-- from (session, hist_msg, feed, friends, other), which has reads only.
CREATE TABLE article_days (
    account_id          BIGINT NOT NULL,
    article_id          VARCHAR NOT NULL,
    day                 TIMESTAMP NOT NULL,
    channel             VARCHAR NOT NULL,
    read_users          BIGINT,
    reads               BIGINT,
    original_read_users BIGINT,
    original_reads      BIGINT,
    share_users         BIGINT,
    shares              BIGINT,
    fav_users           BIGINT,
    favs                BIGINT,
    file_id             INTEGER,
    line                BIGINT,
    PRIMARY KEY (account_id, article_id, day, channel)
);
