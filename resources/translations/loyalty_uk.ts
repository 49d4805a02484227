<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk_UA">
<context>
    <name>AdjustPointsDialog</name>
    <message>
        <source>Adjust points</source>
        <translation>Коригування балів</translation>
    </message>
    <message>
        <source>e.g. +50 or -20</source>
        <translation>наприклад, +50 або -20</translation>
    </message>
    <message>
        <source>Required, e.g. lost receipt of 12 May</source>
        <translation>Обов’язково, наприклад: загублений чек від 12 травня</translation>
    </message>
    <message>
        <source>Points (+ adds, − takes away)</source>
        <translation>Бали (+ додати, − списати)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Written to the points history with your name and the reason, and kept in the owner&apos;s audit log.</source>
        <translation>Запишеться в історію балів з вашим ім’ям і причиною та збережеться в журналі дій власника.</translation>
    </message>
    <message>
        <source>Save adjustment</source>
        <translation>Зберегти коригування</translation>
    </message>
    <message>
        <source>Balance now: {points} points</source>
        <translation>Баланс зараз: {points} б.</translation>
    </message>
    <message>
        <source>New balance: {points} points</source>
        <translation>Новий баланс: {points} б.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Something went wrong</source>
        <translation>Щось пішло не так</translation>
    </message>
    <message>
        <source>Something went wrong, but your data is safe: every sale is saved whole or not at all.</source>
        <translation>Щось пішло не так, але ваші дані в безпеці: кожен продаж зберігається повністю або не зберігається взагалі.</translation>
    </message>
    <message>
        <source>You can keep working. If it happens again, send the details below to your support.</source>
        <translation>Можна працювати далі. Якщо це повториться, надішліть подробиці нижче до служби підтримки.</translation>
    </message>
    <message>
        <source>Loyalty terminal</source>
        <translation>Термінал лояльності</translation>
    </message>
    <message>
        <source>Cannot open the database</source>
        <translation>Не вдається відкрити базу даних</translation>
    </message>
    <message>
        <source>The till is already open on this database (process {pid}). Switch to that window; a second window on the same data is not allowed.</source>
        <translation>Каса вже відкрита на цій базі даних (процес {pid}). Перейдіть до того вікна: друге вікно на тих самих даних не допускається.</translation>
    </message>
    <message>
        <source>Cannot lock the database folder {folder}: check that it is writable.</source>
        <translation>Не вдається заблокувати теку бази даних {folder}: перевірте, що до неї можна писати.</translation>
    </message>
    <message>
        <source>The till is already open</source>
        <translation>Каса вже відкрита</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n хвилину</numerusform>
            <numerusform>%n хвилини</numerusform>
            <numerusform>%n хвилин</numerusform>
        </translation>
    </message>
    <message>
        <source>Idle cashiers are no longer signed out</source>
        <translation>Автовихід касирів вимкнено</translation>
    </message>
    <message>
        <source>Idle cashiers are signed out after {minutes}</source>
        <translation>Автовихід касирів через {minutes} без натискання клавіш</translation>
    </message>
    <message>
        <source>Owner added: {name}</source>
        <translation>Додано власника: {name}</translation>
    </message>
    <message>
        <source>Cashier added: {name}</source>
        <translation>Додано касира: {name}</translation>
    </message>
    <message>
        <source>Owner PIN set up for {name}</source>
        <translation>PIN власника задано для {name}</translation>
    </message>
    <message>
        <source>Owner screens unlocked</source>
        <translation>Відкрито екрани власника</translation>
    </message>
    <message>
        <source>Signed in at the till</source>
        <translation>Вхід на касі</translation>
    </message>
    <message>
        <source>Sign-in locked for five minutes after wrong PINs</source>
        <translation>Вхід заблоковано на п’ять хвилин після неправильних PIN</translation>
    </message>
    <message>
        <source>PIN changed for {name}</source>
        <translation>Змінено PIN: {name}</translation>
    </message>
    <message>
        <source>Switched on: {name}</source>
        <translation>Увімкнено: {name}</translation>
    </message>
    <message>
        <source>Switched off: {name}</source>
        <translation>Вимкнено: {name}</translation>
    </message>
    <message>
        <source>Points adjusted for {customer}: {points} ({reason})</source>
        <translation>Бали змінено для {customer}: {points} ({reason})</translation>
    </message>
    <message>
        <source>A complaint or suggestion marked resolved</source>
        <translation>Скаргу чи пропозицію позначено вирішеною</translation>
    </message>
    <message>
        <source>Card {card} blocked ({reason})</source>
        <translation>Картку {card} заблоковано ({reason})</translation>
    </message>
    <message>
        <source>Card {card} unblocked ({reason})</source>
        <translation>Картку {card} розблоковано ({reason})</translation>
    </message>
    <message>
        <source>Card {old} replaced by {new} for {customer}</source>
        <translation>Картку {old} замінено на {new} для {customer}</translation>
    </message>
    <message>
        <source>Customer data exported: {customer}</source>
        <translation>Експортовано дані клієнта: {customer}</translation>
    </message>
    <message>
        <source>A customer&apos;s personal data erased</source>
        <translation>Особисті дані клієнта видалено</translation>
    </message>
    <message>
        <source>Consent to messages given: {customer}</source>
        <translation>Згода на повідомлення: {customer}</translation>
    </message>
    <message>
        <source>Consent to messages withdrawn: {customer}</source>
        <translation>Згоду на повідомлення відкликано: {customer}</translation>
    </message>
    <message>
        <source>Loyalty program changed</source>
        <translation>Програму лояльності змінено</translation>
    </message>
    <message>
        <source>{action} {facts}</source>
        <translation>{action} {facts}</translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <source>No backup of the till&apos;s data has been made yet. Owner: open Backups (F9).</source>
        <translation>Резервну копію даних каси ще не створено. Власник: відкрийте «Резервні копії» (F9).</translation>
    </message>
    <message>
        <source>No successful backup since %1. Owner: open Backups (F9).</source>
        <translation>Немає вдалої резервної копії з %1. Власник: відкрийте «Резервні копії» (F9).</translation>
    </message>
    <message numerus="yes">
        <source>%n backup(s) kept in %1 (7 daily, 4 weekly, 12 monthly). Each one is checked when it is made.</source>
        <translation>
            <numerusform>%n резервна копія зберігається в %1 (7 щоденних, 4 щотижневі, 12 щомісячних). Кожну перевіряють під час створення.</numerusform>
            <numerusform>%n резервні копії зберігаються в %1 (7 щоденних, 4 щотижневі, 12 щомісячних). Кожну перевіряють під час створення.</numerusform>
            <numerusform>%n резервних копій зберігається в %1 (7 щоденних, 4 щотижневі, 12 щомісячних). Кожну перевіряють під час створення.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BackupsScreen</name>
    <message>
        <source>Backups</source>
        <translation>Резервні копії</translation>
    </message>
    <message>
        <source>Automatic daily backup</source>
        <translation>Автоматична щоденна копія</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>Створити копію</translation>
    </message>
    <message>
        <source>Open backup folder</source>
        <translation>Відкрити теку копій</translation>
    </message>
    <message>
        <source>Second copy (USB stick or network folder)</source>
        <translation>Друга копія (флешка або мережева тека)</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>Вибрати теку…</translation>
    </message>
    <message>
        <source>Stop copying</source>
        <translation>Не копіювати</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Відновлення</translation>
    </message>
    <message>
        <source>Restoring replaces all of the till&apos;s data with the chosen backup. The data as it is now is kept in the backup folder first. Damaged files and other shops&apos; databases are refused.</source>
        <translation>Відновлення замінює всі дані каси вибраною копією. Поточні дані спершу зберігаються в теці копій. Пошкоджені файли та бази інших магазинів не приймаються.</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Створено</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Розмір</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <source>Restore selected backup…</source>
        <translation>Відновити вибрану копію…</translation>
    </message>
    <message>
        <source>Restore from a file…</source>
        <translation>Відновити з файлу…</translation>
    </message>
    <message>
        <source>No backup has been made yet.</source>
        <translation>Резервних копій ще немає.</translation>
    </message>
    <message>
        <source>No successful backup for more than 2 days (last: %1).</source>
        <translation>Немає вдалої копії понад 2 дні (остання: %1).</translation>
    </message>
    <message>
        <source>Last verified backup: %1.</source>
        <translation>Остання перевірена копія: %1.</translation>
    </message>
    <message>
        <source>Last attempt failed: %1</source>
        <translation>Остання спроба не вдалася: %1</translation>
    </message>
    <message>
        <source>Every backup is also copied to %1.</source>
        <translation>Кожна копія також копіюється в %1.</translation>
    </message>
    <message>
        <source>Not set. Choose a USB stick or network folder to keep a second copy.</source>
        <translation>Не задано. Виберіть флешку або мережеву теку для другої копії.</translation>
    </message>
    <message>
        <source>Making a backup and checking it…</source>
        <translation>Створюємо копію й перевіряємо її…</translation>
    </message>
    <message>
        <source>The backup failed: %1</source>
        <translation>Копія не вдалася: %1</translation>
    </message>
    <message>
        <source>Folder for a second copy of every backup</source>
        <translation>Тека для другої копії кожної резервної копії</translation>
    </message>
    <message>
        <source>Backups will also be copied to %1.</source>
        <translation>Копії також зберігатимуться в %1.</translation>
    </message>
    <message>
        <source>Backups are no longer copied to a second folder.</source>
        <translation>Копії більше не зберігаються в другу теку.</translation>
    </message>
    <message>
        <source>Backup to restore</source>
        <translation>Копія для відновлення</translation>
    </message>
    <message>
        <source>Till databases (*.db);;All files (*)</source>
        <translation>Бази каси (*.db);;Усі файли (*)</translation>
    </message>
    <message>
        <source>Restore this backup?</source>
        <translation>Відновити цю копію?</translation>
    </message>
    <message>
        <source>All of the till&apos;s data will be replaced by the backup %1. Sales made after it will no longer be shown.

The data as it is now is kept in %2 first.</source>
        <translation>Усі дані каси буде замінено копією %1. Продажі, зроблені після неї, більше не буде видно.

Поточні дані спершу зберігаються в %2.</translation>
    </message>
</context>
<context>
    <name>BatchModel</name>
    <message>
        <source>Reserved</source>
        <translation>Зарезервовано</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>Картки</translation>
    </message>
    <message>
        <source>Still in stock</source>
        <translation>Ще на складі</translation>
    </message>
    <message>
        <source>First number</source>
        <translation>Перший номер</translation>
    </message>
    <message>
        <source>Last number</source>
        <translation>Останній номер</translation>
    </message>
    <message>
        <source>Batch %1</source>
        <translation>Партія %1</translation>
    </message>
</context>
<context>
    <name>CameraScanDialog</name>
    <message>
        <source>Scan a card with the camera</source>
        <translation>Сканувати картку камерою</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Скасувати</translation>
    </message>
</context>
<context>
    <name>CameraScanner</name>
    <message>
        <source>Hold the card&apos;s QR code or barcode up to the camera.</source>
        <translation>Піднесіть QR-код або штрихкод картки до камери.</translation>
    </message>
    <message>
        <source>No camera is connected.</source>
        <translation>Камеру не підключено.</translation>
    </message>
    <message>
        <source>The camera stopped: %1</source>
        <translation>Камера зупинилася: %1</translation>
    </message>
</context>
<context>
    <name>CardPrint</name>
    <message>
        <source>%1 % discount on every purchase</source>
        <translation>Знижка %1 % на кожну покупку</translation>
    </message>
    <message>
        <source>Pay up to %1 % of a purchase with points</source>
        <translation>Балами можна сплатити до %1 % покупки</translation>
    </message>
    <message numerus="yes">
        <source>%n loyalty card(s)</source>
        <translation>
            <numerusform>%n картка лояльності</numerusform>
            <numerusform>%n картки лояльності</numerusform>
            <numerusform>%n карток лояльності</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Points are valid for %n day(s)</source>
        <translation>
            <numerusform>Бали діють %n день</numerusform>
            <numerusform>Бали діють %n дні</numerusform>
            <numerusform>Бали діють %n днів</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 % back in points, 1 point = %2 %3</source>
        <translation>%1 % повертається балами, 1 бал = %2 %3</translation>
    </message>
    <message>
        <source>from %1 %2</source>
        <translation>від %1 %2</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>Картка лояльності</translation>
    </message>
    <message>
        <source>Show this card at the till to earn and spend points.</source>
        <translation>Покажіть цю картку на касі, щоб отримувати й витрачати бали.</translation>
    </message>
    <message>
        <source>Tel. %1</source>
        <translation>Тел. %1</translation>
    </message>
    <message>
        <source>Loyalty card %1</source>
        <translation>Картка лояльності %1</translation>
    </message>
</context>
<context>
    <name>CardPrintDialog</name>
    <message>
        <source>Print the back too (program terms, shop phone)</source>
        <translation>Друкувати й зворот (умови програми, телефон магазину)</translation>
    </message>
    <message>
        <source>Holder&apos;s name on the card</source>
        <translation>Ім&apos;я власника на картці</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Друк…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Зберегти в PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <source>Card %1 · credit-card size 85.6 × 54 mm</source>
        <translation>Картка %1 · розмір банківської картки 85,6 × 54 мм</translation>
    </message>
    <message numerus="yes">
        <source>%1 cards on %n A4 sheet(s) of 10, with crop marks</source>
        <translation>
            <numerusform>Карток: %1, на %n аркуші A4 по 10, з мітками обрізання</numerusform>
            <numerusform>Карток: %1, на %n аркушах A4 по 10, з мітками обрізання</numerusform>
            <numerusform>Карток: %1, на %n аркушах A4 по 10, з мітками обрізання</numerusform>
        </translation>
    </message>
    <message>
        <source>Print preview</source>
        <translation>Попередній перегляд</translation>
    </message>
    <message>
        <source>The printer could not be started.</source>
        <translation>Не вдалося запустити принтер.</translation>
    </message>
    <message>
        <source>Save cards as PDF</source>
        <translation>Зберегти картки в PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Файли PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>Записуємо PDF…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Стоп</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>Збережено в %1</translation>
    </message>
    <message>
        <source>Stopped; no PDF was written.</source>
        <translation>Зупинено; PDF не записано.</translation>
    </message>
    <message>
        <source>Could not save the PDF: %1</source>
        <translation>Не вдалося зберегти PDF: %1</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>Картки</translation>
    </message>
    <message>
        <source>Print card sheets</source>
        <translation>Друк аркушів карток</translation>
    </message>
    <message>
        <source>Print card %1</source>
        <translation>Друк картки %1</translation>
    </message>
</context>
<context>
    <name>CardsScreen</name>
    <message>
        <source>Cards</source>
        <translation>Картки</translation>
    </message>
    <message>
        <source>In stock, not yet given out</source>
        <translation>На складі, ще не видані</translation>
    </message>
    <message>
        <source>With customers</source>
        <translation>У клієнтів</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Заблоковані</translation>
    </message>
    <message>
        <source>Replaced</source>
        <translation>Замінені</translation>
    </message>
    <message>
        <source> cards</source>
        <translation> карток</translation>
    </message>
    <message>
        <source>Reserve numbers and print…</source>
        <translation>Зарезервувати номери й надрукувати…</translation>
    </message>
    <message>
        <source>New pre-numbered cards</source>
        <translation>Нові пронумеровані картки</translation>
    </message>
    <message>
        <source>How many:</source>
        <translation>Скільки:</translation>
    </message>
    <message>
        <source>The numbers are saved as unassigned stock. Scanning one of these cards when registering a customer gives it to them.</source>
        <translation>Номери зберігаються як невиданий запас. Якщо відсканувати таку картку під час реєстрації клієнта, вона дістанеться йому.</translation>
    </message>
    <message>
        <source>Scan or type a card number</source>
        <translation>Відскануйте або введіть номер картки</translation>
    </message>
    <message>
        <source>Print card…</source>
        <translation>Друк картки…</translation>
    </message>
    <message>
        <source>Print a customer&apos;s card again</source>
        <translation>Надрукувати картку клієнта знову</translation>
    </message>
    <message>
        <source>No card batches yet.</source>
        <translation>Партій карток ще немає.</translation>
    </message>
    <message>
        <source>Print the unused cards again…</source>
        <translation>Надрукувати невикористані картки знову…</translation>
    </message>
    <message>
        <source>Save numbers as CSV…</source>
        <translation>Зберегти номери в CSV…</translation>
    </message>
    <message>
        <source>Batches printed</source>
        <translation>Надруковані партії</translation>
    </message>
    <message>
        <source>Shop name, phone and logo come from the shop settings; the back shows the program in force when the card is printed.</source>
        <translation>Назва магазину, телефон і логотип беруться з налаштувань магазину; на звороті — програма, чинна на момент друку картки.</translation>
    </message>
    <message>
        <source>How the cards look</source>
        <translation>Вигляд карток</translation>
    </message>
    <message numerus="yes">
        <source>%n A4 sheet(s) of 10 cards</source>
        <translation>
            <numerusform>%n аркуш A4 по 10 карток</numerusform>
            <numerusform>%n аркуші A4 по 10 карток</numerusform>
            <numerusform>%n аркушів A4 по 10 карток</numerusform>
        </translation>
    </message>
    <message>
        <source>Reserved %1 numbers: %2 … %3.</source>
        <translation>Зарезервовано номерів: %1: %2 … %3.</translation>
    </message>
    <message>
        <source>Save card numbers</source>
        <translation>Зберегти номери карток</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файли CSV (*.csv)</translation>
    </message>
    <message>
        <source>Could not save the file: %1</source>
        <translation>Не вдалося зберегти файл: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n card number(s) saved to %1</source>
        <translation>
            <numerusform>%n номер картки збережено в %1</numerusform>
            <numerusform>%n номери карток збережено в %1</numerusform>
            <numerusform>%n номерів карток збережено в %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Checkout</name>
    <message>
        <source>{rate} % discount {tier}</source>
        <translation>знижка {rate} % {tier}</translation>
    </message>
    <message>
        <source>{rate} % {tier}</source>
        <translation>{rate} % {tier}</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>interrupted; nothing half-written was kept.</source>
        <translation>перервано; нічого недописаного не збережено.</translation>
    </message>
    <message>
        <source>unexpected error: {error}</source>
        <translation>неочікувана помилка: {error}</translation>
    </message>
    <message>
        <source>unexpected error: {error} (the details are in {log})</source>
        <translation>неочікувана помилка: {error} (подробиці в {log})</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n сторінка</numerusform>
            <numerusform>%n сторінки</numerusform>
            <numerusform>%n сторінок</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n card(s)</source>
        <translation>
            <numerusform>%n картка</numerusform>
            <numerusform>%n картки</numerusform>
            <numerusform>%n карток</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sheet(s)</source>
        <translation>
            <numerusform>%n аркуш</numerusform>
            <numerusform>%n аркуші</numerusform>
            <numerusform>%n аркушів</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n візит</numerusform>
            <numerusform>%n візити</numerusform>
            <numerusform>%n візитів</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n клієнт</numerusform>
            <numerusform>%n клієнти</numerusform>
            <numerusform>%n клієнтів</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n рядок</numerusform>
            <numerusform>%n рядки</numerusform>
            <numerusform>%n рядків</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refund(s)</source>
        <translation>
            <numerusform>%n повернення</numerusform>
            <numerusform>%n повернення</numerusform>
            <numerusform>%n повернень</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n journal event(s)</source>
        <translation>
            <numerusform>%n подія журналу</numerusform>
            <numerusform>%n події журналу</numerusform>
            <numerusform>%n подій журналу</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n запис</numerusform>
            <numerusform>%n записи</numerusform>
            <numerusform>%n записів</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n день</numerusform>
            <numerusform>%n дні</numerusform>
            <numerusform>%n днів</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n подія</numerusform>
            <numerusform>%n події</numerusform>
            <numerusform>%n подій</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new event(s)</source>
        <translation>
            <numerusform>%n нова подія</numerusform>
            <numerusform>%n нові події</numerusform>
            <numerusform>%n нових подій</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bundle(s)</source>
        <translation>
            <numerusform>%n пакет</numerusform>
            <numerusform>%n пакети</numerusform>
            <numerusform>%n пакетів</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) of its own</source>
        <translation>
            <numerusform>%n власна подія</numerusform>
            <numerusform>%n власні події</numerusform>
            <numerusform>%n власних подій</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n конфлікт</numerusform>
            <numerusform>%n конфлікти</numerusform>
            <numerusform>%n конфліктів</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n продаж</numerusform>
            <numerusform>%n продажі</numerusform>
            <numerusform>%n продажів</numerusform>
        </translation>
    </message>
    <message>
        <source>Saved as {path}.</source>
        <translation>Збережено в {path}.</translation>
    </message>
    <message>
        <source>Copied to {path}.</source>
        <translation>Копію записано в {path}.</translation>
    </message>
    <message>
        <source>Warning: {problem}</source>
        <translation>Увага: {problem}</translation>
    </message>
    <message>
        <source>Wrote the customer&apos;s data to {path}: {rows}.</source>
        <translation>Дані клієнта записано в {path}: {rows}.</translation>
    </message>
    <message>
        <source>erasing cannot be undone; add --yes to confirm.</source>
        <translation>видалення не можна скасувати; додайте --yes, щоб підтвердити.</translation>
    </message>
    <message>
        <source>Erased the customer&apos;s personal data. Their {sales} and {points} stay in the books, without a name.</source>
        <translation>Особисті дані клієнта видалено. Його покупки ({sales}) і бали ({points}) лишаються в обліку, але без імені.</translation>
    </message>
    <message>
        <source>No change: consent was already given.</source>
        <translation>Нічого не змінилося: згоду вже було надано.</translation>
    </message>
    <message>
        <source>No change: consent was already withdrawn.</source>
        <translation>Нічого не змінилося: згоду вже було відкликано.</translation>
    </message>
    <message>
        <source>Consent given at {when}.</source>
        <translation>Згоду отримано {when}.</translation>
    </message>
    <message>
        <source>Consent withdrawn at {when}.</source>
        <translation>Згоду відкликано {when}.</translation>
    </message>
    <message>
        <source>points on what is paid</source>
        <translation>бали з оплаченої суми</translation>
    </message>
    <message>
        <source>a discount off the check</source>
        <translation>знижка з чека</translation>
    </message>
    <message>
        <source>a discount and points</source>
        <translation>знижка й бали</translation>
    </message>
    <message>
        <source>{day} {time}</source>
        <translation>{day} {time}</translation>
    </message>
    <message>
        <source>Program version {version} ({when}, {by}): {kind}</source>
        <translation>Програма, версія {version} ({when}, {by}): {kind}</translation>
    </message>
    <message>
        <source>{rate} % points</source>
        <translation>бали {rate} %</translation>
    </message>
    <message>
        <source>{rate} % discount</source>
        <translation>знижка {rate} %</translation>
    </message>
    <message>
        <source>{tier}: from {threshold} paid — {rates}</source>
        <translation>{tier}: від {threshold} оплачено — {rates}</translation>
    </message>
    <message>
        <source>1 point = {value}; points pay up to {cap} % of a check; they expire after {days}</source>
        <translation>1 бал = {value}; балами можна оплатити до {cap} % чека; вони згоряють через {days}</translation>
    </message>
    <message>
        <source>1 point = {value}; points pay up to {cap} % of a check; they never expire</source>
        <translation>1 бал = {value}; балами можна оплатити до {cap} % чека; вони не згоряють</translation>
    </message>
    <message>
        <source>Welcome {welcome}, birthday {birthday} ({window}), referral {referrer}/{newcomer}</source>
        <translation>Вітальний {welcome}, день народження {birthday} ({window}), за запрошення {referrer}/{newcomer}</translation>
    </message>
    <message>
        <source>±{days}</source>
        <translation>±{days}</translation>
    </message>
    <message>
        <source>Promotion: {label}</source>
        <translation>Акція: {label}</translation>
    </message>
    <message>
        <source>Overlapping promotions: the best one</source>
        <translation>Акції, що збігаються: діє найкраща</translation>
    </message>
    <message>
        <source>Overlapping promotions: add up</source>
        <translation>Акції, що збігаються: додаються</translation>
    </message>
    <message>
        <source>Categories: {list}</source>
        <translation>Категорії: {list}</translation>
    </message>
    <message>
        <source>Default program</source>
        <translation>Програма за замовчуванням</translation>
    </message>
    <message>
        <source>Imported from {file}</source>
        <translation>Завантажено з {file}</translation>
    </message>
    <message>
        <source>Program version {version} written to {path}.</source>
        <translation>Програму версії {version} записано в {path}.</translation>
    </message>
    <message>
        <source>Saved as program version {version}:</source>
        <translation>Збережено як версію програми {version}:</translation>
    </message>
    <message>
        <source>Card {card} written to {path} ({pages}).</source>
        <translation>Картку {card} записано в {path} ({pages}).</translation>
    </message>
    <message>
        <source>Reserved {cards} (batch {batch}): {first} … {last}; {sheets} written to {path}.</source>
        <translation>Зарезервовано: {cards} (партія {batch}): {first} … {last}; {sheets} записано в {path}.</translation>
    </message>
    <message>
        <source>Reserved {cards} (batch {batch}): {first} … {last}; {sheets} written to {path}, numbers to {csv}.</source>
        <translation>Зарезервовано: {cards} (партія {batch}): {first} … {last}; {sheets} записано в {path}, номери — в {csv}.</translation>
    </message>
    <message>
        <source>In stock {stock}, active {active}, blocked {blocked}, replaced {replaced}.</source>
        <translation>На складі {stock}, діють {active}, заблоковані {blocked}, замінені {replaced}.</translation>
    </message>
    <message>
        <source>{batch}: {cards}, {in_stock} still in stock</source>
        <translation>{batch}: {cards}, ще на складі: {in_stock}</translation>
    </message>
    <message>
        <source>Blocked at the desk</source>
        <translation>Заблоковано на стійці</translation>
    </message>
    <message>
        <source>active</source>
        <translation>діє</translation>
    </message>
    <message>
        <source>in stock</source>
        <translation>на складі</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>заблокована</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>замінена</translation>
    </message>
    <message>
        <source>Card {card} ({name}) is blocked: {reason}.</source>
        <translation>Картку {card} ({name}) заблоковано: {reason}.</translation>
    </message>
    <message>
        <source>Card {card} is blocked: {reason}.</source>
        <translation>Картку {card} заблоковано: {reason}.</translation>
    </message>
    <message>
        <source>Card {card} works again (status {status}).</source>
        <translation>Картка {card} знову працює (статус: {status}).</translation>
    </message>
    <message>
        <source>{name} now has card {new} (card {old} no longer works); balance {points}.</source>
        <translation>{name}: тепер картка {new} (картка {old} більше не працює); баланс {points}.</translation>
    </message>
    <message>
        <source>Registered {name}: card {card}, balance {points}.</source>
        <translation>Зареєстровано: {name}, картка {card}, баланс {points}.</translation>
    </message>
    <message>
        <source>{points} expire on {day}</source>
        <translation>Згоряння {day}: {points}</translation>
    </message>
    <message>
        <source>{name}  card {card}  phone {phone}</source>
        <translation>{name}  картка {card}  телефон {phone}</translation>
    </message>
    <message>
        <source>Balance {points}, tier {tier}, lifetime paid {paid}, {visits}</source>
        <translation>Баланс {points}, рівень {tier}, усього оплачено {paid}, {visits}</translation>
    </message>
    <message>
        <source>{amount} to {tier}</source>
        <translation>{amount} до рівня {tier}</translation>
    </message>
    <message>
        <source>{day} {time}  {amount}  paid {paid}  +{earned} −{spent}</source>
        <translation>{day} {time}  {amount}  оплачено {paid}  +{earned} −{spent}</translation>
    </message>
    <message>
        <source>, refunded {amount}</source>
        <translation>, повернено {amount}</translation>
    </message>
    <message>
        <source>Card {card}: {points}, tier {tier}</source>
        <translation>Картка {card}: {points}, рівень {tier}</translation>
    </message>
    <message>
        <source>Columns: {columns}</source>
        <translation>Стовпці: {columns}</translation>
    </message>
    <message>
        <source>{rows}: {good} can be imported, {refused} would be refused; {points} opening points, {cards} new cards.</source>
        <translation>{rows}: можна завантажити {good}, буде відхилено {refused}; початкових балів {points}, нових карток {cards}.</translation>
    </message>
    <message>
        <source>line {line}: {reasons}</source>
        <translation>рядок {line}: {reasons}</translation>
    </message>
    <message>
        <source>Nothing was imported. Fix those rows, or run again with --skip-refused.</source>
        <translation>Нічого не завантажено. Виправте ці рядки або запустіть знову з --skip-refused.</translation>
    </message>
    <message>
        <source>Imported {customers} from {file} ({skipped} refused rows skipped, {points} opening points, {cards} new card numbers).</source>
        <translation>Завантажено з {file}: {customers} (пропущено відхилених рядків: {skipped}, початкових балів: {points}, нових номерів карток: {cards}).</translation>
    </message>
    <message>
        <source>Exported {customers} ({with_consent} agreed to messages) to {path}.</source>
        <translation>Вивантажено до {path}: {customers} (згодні на повідомлення: {with_consent}).</translation>
    </message>
    <message>
        <source>Expired {points} of {customers}.</source>
        <translation>{customers}: списано {points} через закінчення терміну.</translation>
    </message>
    <message>
        <source>No points were due to expire.</source>
        <translation>Згоряти не було чому.</translation>
    </message>
    <message>
        <source>customers</source>
        <translation>клієнти</translation>
    </message>
    <message>
        <source>sales</source>
        <translation>продажі</translation>
    </message>
    <message>
        <source>indexes</source>
        <translation>індекси</translation>
    </message>
    <message>
        <source>demo: {stage} {done}/{total}</source>
        <translation>демо: {stage} {done}/{total}</translation>
    </message>
    <message>
        <source>Demo data: {customers}, {sales} ({card_sales} with a card, {redemptions} paid partly with points), {refunds}, {birthday} birthday and {referral} referral bonuses, {expired} expired, {nps} NPS answers, {feedback} feedback notes; {seconds} s.</source>
        <translation>Демо-дані: {customers}, {sales} (з карткою: {card_sales}, частково оплачено балами: {redemptions}), {refunds}, бонусів до дня народження: {birthday}, за запрошення: {referral}, списано за терміном: {expired}, відповідей NPS: {nps}, відгуків: {feedback}; {seconds} с.</translation>
    </message>
    <message>
        <source>All good: {customers}, {sales}, {events}; balances equal their ledgers.</source>
        <translation>Усе гаразд: {customers}, {sales}, {events}; баланси збігаються з історією балів.</translation>
    </message>
    <message>
        <source>Problems found:</source>
        <translation>Знайдено проблеми:</translation>
    </message>
    <message>
        <source>Owner PIN: </source>
        <translation>PIN власника: </translation>
    </message>
    <message>
        <source>{name}: {change} ({reason}); balance {before} → {after}.</source>
        <translation>{name}: {change} ({reason}); баланс {before} → {after}.</translation>
    </message>
    <message>
        <source>{points} pts</source>
        <translation>{points} б.</translation>
    </message>
    <message>
        <source>Points liability: {points} = {value}; {expiring} ({expiring_value}) expire in 30 days.</source>
        <translation>Зобов&apos;язання за балами: {points} = {value}; згоряння протягом 30 днів: {expiring} ({expiring_value}).</translation>
    </message>
    <message>
        <source>sale</source>
        <translation>продаж</translation>
    </message>
    <message>
        <source>refund</source>
        <translation>повернення</translation>
    </message>
    <message>
        <source>Quote: to pay {to_pay} without a card. Nothing was recorded.</source>
        <translation>Розрахунок: до сплати {to_pay} без картки. Нічого не записано.</translation>
    </message>
    <message>
        <source>Quote: to pay {to_pay}, {spent} spent, {earned} earned, balance after {balance}. Nothing was recorded.</source>
        <translation>Розрахунок: до сплати {to_pay}, списано {spent}, нараховано {earned}, баланс після {balance}. Нічого не записано.</translation>
    </message>
    <message>
        <source>welcome bonus {points}</source>
        <translation>вітальний бонус {points}</translation>
    </message>
    <message>
        <source>birthday bonus {points}</source>
        <translation>бонус до дня народження {points}</translation>
    </message>
    <message>
        <source>referral bonus {points}</source>
        <translation>бонус за запрошення {points}</translation>
    </message>
    <message>
        <source>visit milestone bonus {points}</source>
        <translation>бонус за кількість візитів {points}</translation>
    </message>
    <message>
        <source>Sale {sale}: {to_pay} without a card.</source>
        <translation>Продаж {sale}: {to_pay} без картки.</translation>
    </message>
    <message>
        <source>Sale {sale}: to pay {to_pay}</source>
        <translation>Продаж {sale}: до сплати {to_pay}</translation>
    </message>
    <message>
        <source>{points} spent (−{value})</source>
        <translation>списано {points} (−{value})</translation>
    </message>
    <message>
        <source>discount {amount}</source>
        <translation>знижка {amount}</translation>
    </message>
    <message>
        <source>{points} earned</source>
        <translation>нараховано {points}</translation>
    </message>
    <message>
        <source>{kind} bonus {points}</source>
        <translation>бонус «{kind}» {points}</translation>
    </message>
    <message>
        <source>balance {balance}</source>
        <translation>баланс {balance}</translation>
    </message>
    <message>
        <source>now {tier}</source>
        <translation>тепер рівень {tier}</translation>
    </message>
    <message>
        <source>(already recorded earlier; nothing charged again)</source>
        <translation>(уже записаний раніше; повторно нічого не списано)</translation>
    </message>
    <message>
        <source>Refund {refund} was already made earlier ({amount} of the check); nothing was done now and there is nothing to give back.</source>
        <translation>Повернення {refund} уже було зроблено раніше ({amount} з чека); зараз нічого не зроблено і видавати нічого не треба.</translation>
    </message>
    <message>
        <source>Refunded {amount} of the check: give back {money}, {returned} returned, {reversed} taken back.</source>
        <translation>Повернення {amount} з чека: видайте {money}, повернено {returned}, списано {reversed}.</translation>
    </message>
    <message>
        <source>Refunded {amount} of the check: give back {money}, {returned} returned, {reversed} taken back, balance {balance}.</source>
        <translation>Повернення {amount} з чека: видайте {money}, повернено {returned}, списано {reversed}, баланс {balance}.</translation>
    </message>
    <message>
        <source>Writing {events} of till {number} to a bundle…</source>
        <translation>Каса {number}: запис пакета ({events})…</translation>
    </message>
    <message>
        <source>Nothing new to export.</source>
        <translation>Нового для вивантаження немає.</translation>
    </message>
    <message>
        <source>Exported events {first}–{last} ({count}) to {path}.</source>
        <translation>Події {first}–{last} ({count}) вивантажено до {path}.</translation>
    </message>
    <message>
        <source>Checking and applying {events} of till {number}…</source>
        <translation>Каса {number}: перевірка й застосування ({events})…</translation>
    </message>
    <message>
        <source>Till {number}: {applied} applied, {skipped} already here.</source>
        <translation>Каса {number} — застосовано: {applied}; уже були тут: {skipped}.</translation>
    </message>
    <message>
        <source>Pairing file for till {number} written to {path}. It holds the shop&apos;s key: carry it to the new till and delete it after use.</source>
        <translation>Файл підключення для каси {number} записано в {path}. У ньому ключ магазину: перенесіть його на нову касу й видаліть після використання.</translation>
    </message>
    <message>
        <source>This is now till {number} (it was till {old}): the cards it gives from now on carry the new number. The other tills learn it with this till&apos;s next news.</source>
        <translation>Тепер це каса {number} (була каса {old}): картки, які вона видає відтепер, мають новий номер. Інші каси дізнаються його з наступних новин цієї каси.</translation>
    </message>
    <message>
        <source>This is now till {number} of {shop}. Import the other tills&apos; bundles (or pull from the hub) to get the customers.</source>
        <translation>Тепер це каса {number} магазину {shop}. Завантажте пакети інших кас (або отримайте дані із сервера синхронізації), щоб отримати клієнтів.</translation>
    </message>
    <message>
        <source>Sync server: pushed {pushed}, applied {pulled} from other tills.</source>
        <translation>Сервер синхронізації — надіслано: {pushed}; застосовано від інших кас: {pulled}.</translation>
    </message>
    <message>
        <source>Sync server: pushed {pushed}.</source>
        <translation>Сервер синхронізації — надіслано: {pushed}.</translation>
    </message>
    <message>
        <source>Sync server: applied {pulled} from other tills.</source>
        <translation>Сервер синхронізації — застосовано від інших кас: {pulled}.</translation>
    </message>
    <message>
        <source>Wrote {events} of this till to {file}.</source>
        <translation>Записано в {file}: {events} цієї каси.</translation>
    </message>
    <message>
        <source>Nothing new of this till to write.</source>
        <translation>Нового в цієї каси для запису немає.</translation>
    </message>
    <message>
        <source>Applied {events} from {bundles}; {already} already here.</source>
        <translation>Отримано {bundles} — застосовано: {events}; уже були тут: {already}.</translation>
    </message>
    <message>
        <source>Refused {file}: {reason}</source>
        <translation>Відхилено {file}: {reason}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>ніколи</translation>
    </message>
    <message>
        <source>This is till {number}: {own}, {waiting} not yet exported or pushed.</source>
        <translation>Це каса {number}: {own}, ще не вивантажено й не надіслано: {waiting}.</translation>
    </message>
    <message>
        <source>Last export/push: {sent}; last import/pull: {received}.</source>
        <translation>Останнє вивантаження/надсилання: {sent}; останнє завантаження/отримання: {received}.</translation>
    </message>
    <message>
        <source>Till {number}: {events} here.</source>
        <translation>Каса {number}: тут {events}.</translation>
    </message>
    <message>
        <source>{conflicts} to look at: run `sync conflicts`.</source>
        <translation>Потрібно переглянути: {conflicts}; виконайте `sync conflicts`.</translation>
    </message>
    <message>
        <source>points used twice on two tills offline (spent, or taken back by two refunds); the balance went below zero</source>
        <translation>бали використано двічі на двох касах без зв&apos;язку (витрачено або списано двома поверненнями); баланс пішов нижче нуля</translation>
    </message>
    <message>
        <source>points taken back on one till were not known to another that gave points meanwhile; the balance is right, the points lots hold more</source>
        <translation>бали, списані на одній касі, не були відомі іншій, яка тим часом нарахувала бали; баланс правильний, у партіях балів більше</translation>
    </message>
    <message>
        <source>the same card was given to two customers</source>
        <translation>ту саму картку видали двом клієнтам</translation>
    </message>
    <message>
        <source>a sale was made with a card another till had blocked</source>
        <translation>продаж за карткою, яку інша каса заблокувала</translation>
    </message>
    <message>
        <source>a sale was refunded on two tills offline; more money went back than its check</source>
        <translation>повернення одного продажу пройшло на двох касах без зв&apos;язку; повернули більше грошей, ніж був чек</translation>
    </message>
    <message>
        <source>two tills use the same till number (one pairing file used on both); the card numbers they give out can clash: make a pairing file with a new number and join it on one of them (`sync pair-join`), which takes the new number</source>
        <translation>дві каси працюють під одним номером (один файл підключення використано на обох); номери карток, які вони видають, можуть збігтися: створіть файл підключення з новим номером і підключіть за ним одну з них (`sync pair-join`) — вона отримає новий номер</translation>
    </message>
    <message>
        <source>No conflicts.</source>
        <translation>Конфліктів немає.</translation>
    </message>
    <message>
        <source>Marked as dealt with; the other tills hear of it with this till&apos;s next news.</source>
        <translation>Позначено як вирішене; інші каси дізнаються про це з найближчими новинами цієї каси.</translation>
    </message>
</context>
<context>
    <name>CliHelp</name>
    <message>
        <source>database file (default: $LOYALTY_DB, else the user data folder)</source>
        <translation>файл бази даних (типово: $LOYALTY_DB, інакше тека даних користувача)</translation>
    </message>
    <message>
        <source>print one JSON object</source>
        <translation>вивести один об&apos;єкт JSON</translation>
    </message>
    <message>
        <source>Loyalty-card terminal. Without a command it opens the till window.</source>
        <translation>Термінал карток лояльності. Без команди відкриває вікно каси.</translation>
    </message>
    <message>
        <source>check that this installation works (database, sale, refund, card PDF) and exit</source>
        <translation>перевірити, що встановлення працює (база, продаж, повернення, PDF картки), і вийти</translation>
    </message>
    <message>
        <source>make a verified backup now (into the backup folder, or to --out FILE)</source>
        <translation>зробити перевірену резервну копію зараз (у теку копій або в --out ФАЙЛ)</translation>
    </message>
    <message>
        <source>write the backup to this file</source>
        <translation>записати копію в цей файл</translation>
    </message>
    <message>
        <source>replace the database with a backup (the current one is kept aside first)</source>
        <translation>замінити базу резервною копією (поточна спершу зберігається окремо)</translation>
    </message>
    <message>
        <source>the backup file to restore</source>
        <translation>файл копії для відновлення</translation>
    </message>
    <message>
        <source>block, unblock or replace a customer&apos;s card</source>
        <translation>заблокувати, розблокувати або замінити картку клієнта</translation>
    </message>
    <message>
        <source>stop a card from working (lost, stolen)</source>
        <translation>зупинити картку (загублена, вкрадена)</translation>
    </message>
    <message>
        <source>the card number</source>
        <translation>номер картки</translation>
    </message>
    <message>
        <source>why, kept in the audit log</source>
        <translation>причина, зберігається в журналі аудиту</translation>
    </message>
    <message>
        <source>let a blocked card work again</source>
        <translation>знову дозволити заблоковану картку</translation>
    </message>
    <message>
        <source>give the card&apos;s owner a new card; balance and history follow them</source>
        <translation>видати власникові нову картку; баланс та історія переходять на неї</translation>
    </message>
    <message>
        <source>the lost or damaged card&apos;s number</source>
        <translation>номер загубленої або пошкодженої картки</translation>
    </message>
    <message>
        <source>a pre-printed card to give (default: a new number)</source>
        <translation>заздалегідь надрукована картка для видачі (типово: новий номер)</translation>
    </message>
    <message>
        <source>print loyalty cards and pre-numbered sheets</source>
        <translation>друк карток лояльності й аркушів з номерами</translation>
    </message>
    <message>
        <source>one card as a CR80 PDF (card printer)</source>
        <translation>одна картка у PDF формату CR80 (принтер карток)</translation>
    </message>
    <message>
        <source>the PDF file to write</source>
        <translation>PDF-файл для запису</translation>
    </message>
    <message>
        <source>add the back (terms, phone) as page 2</source>
        <translation>додати зворот (умови, телефон) другою сторінкою</translation>
    </message>
    <message>
        <source>leave the holder&apos;s name off</source>
        <translation>не друкувати ім&apos;я власника</translation>
    </message>
    <message>
        <source>reserve N new stock numbers and print them on A4 sheets of 10</source>
        <translation>зарезервувати N нових номерів і надрукувати їх на аркушах A4 по 10</translation>
    </message>
    <message>
        <source>how many cards</source>
        <translation>скільки карток</translation>
    </message>
    <message>
        <source>also write the numbers as CSV (print shop)</source>
        <translation>також записати номери в CSV (для друкарні)</translation>
    </message>
    <message>
        <source>add back pages after each sheet (duplex, flip on the long edge)</source>
        <translation>додати зворотні сторінки після кожного аркуша (дуплекс, переворот по довгому краю)</translation>
    </message>
    <message>
        <source>how many cards of each status, and the batches</source>
        <translation>скільки карток у кожному статусі та партії</translation>
    </message>
    <message>
        <source>register or show a customer</source>
        <translation>зареєструвати або показати клієнта</translation>
    </message>
    <message>
        <source>register a customer and issue a card</source>
        <translation>зареєструвати клієнта й видати картку</translation>
    </message>
    <message>
        <source>YYYY-MM-DD or DD.MM.YYYY</source>
        <translation>РРРР-ММ-ДД або ДД.ММ.РРРР</translation>
    </message>
    <message>
        <source>a pre-printed card to assign</source>
        <translation>заздалегідь надрукована картка для видачі</translation>
    </message>
    <message>
        <source>the card of the customer who referred</source>
        <translation>картка клієнта, який порекомендував</translation>
    </message>
    <message>
        <source>agrees to receive messages</source>
        <translation>погоджується отримувати повідомлення</translation>
    </message>
    <message>
        <source>a customer by card or phone</source>
        <translation>клієнт за карткою або телефоном</translation>
    </message>
    <message>
        <source>how many recent sales to list</source>
        <translation>скільки останніх продажів показати</translation>
    </message>
    <message>
        <source>points balance of a card</source>
        <translation>баланс балів картки</translation>
    </message>
    <message>
        <source>import customers from CSV or Excel</source>
        <translation>імпорт клієнтів із CSV або Excel</translation>
    </message>
    <message>
        <source>customers, their cards and opening balances from a .csv or .xlsx file</source>
        <translation>клієнти, їхні картки й початкові баланси з файлу .csv або .xlsx</translation>
    </message>
    <message>
        <source>the .csv or .xlsx file; the first row holds headers</source>
        <translation>файл .csv або .xlsx; у першому рядку заголовки</translation>
    </message>
    <message>
        <source>list the rows that would be refused; write nothing</source>
        <translation>показати рядки, які буде відхилено; нічого не записувати</translation>
    </message>
    <message>
        <source>import the good rows, leave the refused ones</source>
        <translation>імпортувати добрі рядки, відхилені пропустити</translation>
    </message>
    <message>
        <source>export customers to CSV or Excel</source>
        <translation>експорт клієнтів у CSV або Excel</translation>
    </message>
    <message>
        <source>every customer with consent status</source>
        <translation>усі клієнти зі статусом згоди</translation>
    </message>
    <message>
        <source>FILE.csv or FILE.xlsx</source>
        <translation>ФАЙЛ.csv або ФАЙЛ.xlsx</translation>
    </message>
    <message>
        <source>which column holds which field, e.g. name=Client,phone=3 (fields: {fields}); columns by header or 1-based number; the rest is guessed</source>
        <translation>який стовпець містить яке поле, наприклад name=Client,phone=3 (поля: {fields}); стовпці за заголовком або номером з 1; решта вгадується</translation>
    </message>
    <message>
        <source>verify balances, lots, journal and the database file</source>
        <translation>перевірити баланси, партії балів, журнал і файл бази</translation>
    </message>
    <message>
        <source>write off every customer&apos;s points whose expiry has come</source>
        <translation>списати в усіх клієнтів бали, строк яких минув</translation>
    </message>
    <message>
        <source>fill a new, empty database with realistic customers and a year of sales</source>
        <translation>заповнити нову порожню базу правдоподібними клієнтами й роком продажів</translation>
    </message>
    <message>
        <source>how many (default 1000)</source>
        <translation>скільки (типово 1000)</translation>
    </message>
    <message>
        <source>months of sales (default 12)</source>
        <translation>місяців продажів (типово 12)</translation>
    </message>
    <message>
        <source>how many sales (default 10 per customer)</source>
        <translation>скільки продажів (типово 10 на клієнта)</translation>
    </message>
    <message>
        <source>same seed, same data (default 1)</source>
        <translation>те саме зерно — ті самі дані (типово 1)</translation>
    </message>
    <message>
        <source>must be at least 1</source>
        <translation>має бути не менше 1</translation>
    </message>
    <message>
        <source>“{text}” is not a whole number</source>
        <translation>«{text}» — не ціле число</translation>
    </message>
    <message>
        <source>owner corrections of a customer&apos;s points</source>
        <translation>виправлення балів клієнта власником</translation>
    </message>
    <message>
        <source>add (+N) or take away (-N) points, with a reason; needs the owner PIN</source>
        <translation>нарахувати (+N) або зняти (-N) бали з причиною; потрібен PIN власника</translation>
    </message>
    <message>
        <source>card, phone or customer id</source>
        <translation>картка, телефон або id клієнта</translation>
    </message>
    <message>
        <source>e.g. +50 or -20</source>
        <translation>наприклад +50 або -20</translation>
    </message>
    <message>
        <source>why: shown in the points history</source>
        <translation>причина: видно в історії балів</translation>
    </message>
    <message>
        <source>the owner PIN (or set ${env}; else it is asked)</source>
        <translation>PIN власника (або задайте ${env}; інакше його буде запитано)</translation>
    </message>
    <message>
        <source>export or erase everything stored about a customer</source>
        <translation>вивантажити або стерти все, що зберігається про клієнта</translation>
    </message>
    <message>
        <source>write the customer&apos;s data to a JSON or PDF file</source>
        <translation>записати дані клієнта у файл JSON або PDF</translation>
    </message>
    <message>
        <source>the file to write: .json, or .pdf for a printable copy</source>
        <translation>файл для запису: .json або .pdf для друкованої копії</translation>
    </message>
    <message>
        <source>anonymize the customer (name, phone, e-mail, birthday); sales and points stay</source>
        <translation>знеособити клієнта (ім&apos;я, телефон, e-mail, день народження); продажі й бали лишаються</translation>
    </message>
    <message>
        <source>confirm: this cannot be undone</source>
        <translation>підтвердити: це не можна скасувати</translation>
    </message>
    <message>
        <source>record a customer&apos;s yes or no to offers</source>
        <translation>записати згоду або відмову клієнта від пропозицій</translation>
    </message>
    <message>
        <source>show, export or import the loyalty program</source>
        <translation>показати, вивантажити або завантажити програму лояльності</translation>
    </message>
    <message>
        <source>the program in force</source>
        <translation>чинна програма</translation>
    </message>
    <message>
        <source>an earlier version</source>
        <translation>попередня версія</translation>
    </message>
    <message>
        <source>write the program to a JSON file</source>
        <translation>записати програму у файл JSON</translation>
    </message>
    <message>
        <source>save a program from a JSON file as the next version</source>
        <translation>зберегти програму з файлу JSON як наступну версію</translation>
    </message>
    <message>
        <source>every saved version</source>
        <translation>усі збережені версії</translation>
    </message>
    <message>
        <source>loyalty KPIs for a period beside the previous period (the owner&apos;s dashboard)</source>
        <translation>показники лояльності за період поруч із попереднім періодом (панель власника)</translation>
    </message>
    <message>
        <source>first day, YYYY-MM-DD</source>
        <translation>перший день, РРРР-ММ-ДД</translation>
    </message>
    <message>
        <source>last day, YYYY-MM-DD</source>
        <translation>останній день, РРРР-ММ-ДД</translation>
    </message>
    <message>
        <source>“{text}” is not a date like 2026-01-31</source>
        <translation>«{text}» — не дата на зразок 2026-01-31</translation>
    </message>
    <message>
        <source>record a sale on a card (or without one)</source>
        <translation>записати продаж за карткою (або без неї)</translation>
    </message>
    <message>
        <source>card number; omit for a sale without a card</source>
        <translation>номер картки; не вказуйте для продажу без картки</translation>
    </message>
    <message>
        <source>check amount, e.g. 123.45 or 123,45</source>
        <translation>сума чека, наприклад 123.45 або 123,45</translation>
    </message>
    <message>
        <source>none, max or a number of points</source>
        <translation>none, max або кількість балів</translation>
    </message>
    <message>
        <source>client sale UUID (idempotent)</source>
        <translation>UUID продажу від клієнта (повтор безпечний)</translation>
    </message>
    <message>
        <source>show the quote, record nothing</source>
        <translation>показати розрахунок, нічого не записувати</translation>
    </message>
    <message>
        <source>refund a sale in full or in part</source>
        <translation>повернути продаж повністю або частково</translation>
    </message>
    <message>
        <source>the sale id</source>
        <translation>id продажу</translation>
    </message>
    <message>
        <source>part of the check to refund</source>
        <translation>частина чека для повернення</translation>
    </message>
    <message>
        <source>client refund UUID</source>
        <translation>UUID повернення від клієнта</translation>
    </message>
    <message>
        <source>share customers and sales with the shop&apos;s other tills</source>
        <translation>обмін клієнтами й продажами з іншими касами магазину</translation>
    </message>
    <message>
        <source>write this till&apos;s new events to a signed bundle</source>
        <translation>записати нові події цієї каси в підписаний пакет</translation>
    </message>
    <message>
        <source>folder for the bundle file</source>
        <translation>тека для файлу пакета</translation>
    </message>
    <message>
        <source>export events after this sequence number (default: after the last export/push; 0 exports everything)</source>
        <translation>вивантажити події після цього номера (типово: після останнього вивантаження/надсилання; 0 вивантажує все)</translation>
    </message>
    <message>
        <source>verify and apply another till&apos;s bundle</source>
        <translation>перевірити й застосувати пакет іншої каси</translation>
    </message>
    <message>
        <source>make a one-time pairing file for a new till</source>
        <translation>створити одноразовий файл прив&apos;язки для нової каси</translation>
    </message>
    <message>
        <source>the new till&apos;s number (1-99)</source>
        <translation>номер нової каси (1-99)</translation>
    </message>
    <message>
        <source>where to write the pairing file</source>
        <translation>куди записати файл прив&apos;язки</translation>
    </message>
    <message>
        <source>join a shop with a pairing file (new till only)</source>
        <translation>приєднатися до магазину за файлом прив&apos;язки (лише нова каса)</translation>
    </message>
    <message>
        <source>send this till&apos;s new events to the hub</source>
        <translation>надіслати нові події цієї каси на сервер</translation>
    </message>
    <message>
        <source>fetch and apply the other tills&apos; events from the hub</source>
        <translation>отримати з сервера й застосувати події інших кас</translation>
    </message>
    <message>
        <source>push, then pull</source>
        <translation>надіслати, потім отримати</translation>
    </message>
    <message>
        <source>one round of folder sync: write this till&apos;s news to DIR, apply other tills&apos; bundles found there</source>
        <translation>один цикл синхронізації через теку: записати нове цієї каси в DIR, застосувати знайдені там пакети інших кас</translation>
    </message>
    <message>
        <source>the shared or USB folder the tills sync through</source>
        <translation>спільна або USB-тека, через яку синхронізуються каси</translation>
    </message>
    <message>
        <source>till number, events waiting, peers</source>
        <translation>номер каси, події в черзі, інші каси</translation>
    </message>
    <message>
        <source>list what two tills did offline that the owner should look at</source>
        <translation>показати, що дві каси зробили офлайн і що варто перевірити власникові</translation>
    </message>
    <message>
        <source>mark a conflict as dealt with: it leaves the list here, and on the other tills with this till&apos;s next news</source>
        <translation>позначити конфлікт як вирішений: він зникне зі списку тут і на інших касах з найближчими новинами цієї каси</translation>
    </message>
    <message>
        <source>the conflict, as `sync conflicts` shows it</source>
        <translation>конфлікт, як його показує `sync conflicts`</translation>
    </message>
    <message>
        <source>postgresql://user@host:port/database</source>
        <translation>postgresql://користувач@хост:порт/база</translation>
    </message>
</context>
<context>
    <name>CounterScreen</name>
    <message>
        <source>Find</source>
        <translation>Знайти</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>Новий клієнт</translation>
    </message>
    <message>
        <source>Camera  {key}</source>
        <translation>Камера  {key}</translation>
    </message>
    <message>
        <source>Read a card or a phone&apos;s QR code with the webcam</source>
        <translation>Зчитати картку або QR-код із телефона вебкамерою</translation>
    </message>
    <message>
        <source>Who is at the till: sales are recorded as theirs</source>
        <translation>Хто на касі: продажі записуються на цю людину</translation>
    </message>
    <message>
        <source>Who is at the till? Type your PIN on the right.</source>
        <translation>Хто на касі? Введіть свій PIN праворуч.</translation>
    </message>
    <message>
        <source>●  Ready — scan the next card</source>
        <translation>●  Готово — скануйте наступну картку</translation>
    </message>
    <message>
        <source>Cashier: {name}  ·  Switch  {key}</source>
        <translation>Касир: {name}  ·  Змінити  {key}</translation>
    </message>
    <message>
        <source>Nobody at the till</source>
        <translation>На касі нікого</translation>
    </message>
    <message>
        <source>No cashiers are set up, so nobody needs to sign in. The owner adds cashiers on the Staff screen (Ctrl+F10).</source>
        <translation>Касирів не додано, тож входити не потрібно. Власник додає касирів на екрані «Персонал» (Ctrl+F10).</translation>
    </message>
    <message>
        <source>Hello, {name}! Sales are now recorded as yours.</source>
        <translation>Вітаємо, {name}! Тепер продажі записуються на вас.</translation>
    </message>
    <message>
        <source>Sale without a card: type the amount and press Enter.</source>
        <translation>Продаж без картки: введіть суму й натисніть Enter.</translation>
    </message>
    <message>
        <source>Type your PIN first: registrations are recorded as yours.</source>
        <translation>Спершу введіть свій PIN: реєстрації записуються на вас.</translation>
    </message>
    <message>
        <source>Welcome, {name}! Card {card} is theirs, with {points} welcome points.</source>
        <translation>Ласкаво просимо, {name}! Картка {card} тепер ваша, вітальних балів: {points}.</translation>
    </message>
    <message>
        <source>This customer has no working card. Give them a new one at the desk (F2).</source>
        <translation>У клієнта немає чинної картки. Видайте нову на стійці клієнтів (F2).</translation>
    </message>
    <message>
        <source>Scan the customer&apos;s card first, or press F5 for a sale without a card.</source>
        <translation>Спершу відскануйте картку клієнта або натисніть F5 для продажу без картки.</translation>
    </message>
    <message>
        <source>Type the amount first.</source>
        <translation>Спершу введіть суму.</translation>
    </message>
    <message>
        <source>Type your PIN: the sale is saved as soon as you are signed in.</source>
        <translation>Введіть свій PIN: продаж збережеться, щойно ви увійдете.</translation>
    </message>
    <message>
        <source>The database is still busy. Nothing was charged; press Enter to try again.</source>
        <translation>База даних досі зайнята. Нічого не списано; натисніть Enter, щоб повторити.</translation>
    </message>
    <message>
        <source>Sale saved: {money}. No card? Offer one — F4 registers them in a minute.</source>
        <translation>Продаж збережено: {money}. Немає картки? Запропонуйте — F4 зареєструє клієнта за хвилину.</translation>
    </message>
    <message>
        <source>Welcome to {tier}!</source>
        <translation>Ласкаво просимо на рівень {tier}!</translation>
    </message>
    <message>
        <source>To pay: {money}</source>
        <translation>До сплати: {money}</translation>
    </message>
    <message>
        <source>Thank you! Score {score} saved. Scan the next card.</source>
        <translation>Дякуємо! Оцінку {score} збережено. Скануйте наступну картку.</translation>
    </message>
    <message>
        <source>Printing the slip again…</source>
        <translation>Друкуємо чек повторно…</translation>
    </message>
    <message>
        <source>Slip printed.</source>
        <translation>Чек надруковано.</translation>
    </message>
    <message>
        <source>{key} prints it again.</source>
        <translation>{key} — надрукувати ще раз.</translation>
    </message>
    <message>
        <source>The sale is saved. {problem}</source>
        <translation>Продаж збережено. {problem}</translation>
    </message>
    <message>
        <source>Scan the customer&apos;s card first, then press Ctrl+M.</source>
        <translation>Спершу відскануйте картку клієнта, потім натисніть Ctrl+M.</translation>
    </message>
    <message>
        <source>Thank you: the owner will read it in Feedback (F10).</source>
        <translation>Дякуємо: власник прочитає це в розділі «Відгуки» (F10).</translation>
    </message>
    <message numerus="yes">
        <source>Signed out after %n minute(s) without a key press. Who is at the till?</source>
        <translation>
            <numerusform>Вихід після %n хвилини без натискання клавіш. Хто за касою?</numerusform>
            <numerusform>Вихід після %n хвилин без натискання клавіш. Хто за касою?</numerusform>
            <numerusform>Вихід після %n хвилин без натискання клавіш. Хто за касою?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You used %n point(s) ({money}).</source>
        <translation>
            <numerusform>Списано %n бал ({money}).</numerusform>
            <numerusform>Списано %n бали ({money}).</numerusform>
            <numerusform>Списано %n балів ({money}).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You earned %n point(s) and a {bonus}-point bonus, balance {balance}.</source>
        <translation>
            <numerusform>Нараховано %n бал, бонус: {bonus}, баланс: {balance}.</numerusform>
            <numerusform>Нараховано %n бали, бонус: {bonus}, баланс: {balance}.</numerusform>
            <numerusform>Нараховано %n балів, бонус: {bonus}, баланс: {balance}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You earned %n point(s), balance {balance}.</source>
        <translation>
            <numerusform>Нараховано %n бал, баланс: {balance}.</numerusform>
            <numerusform>Нараховано %n бали, баланс: {balance}.</numerusform>
            <numerusform>Нараховано %n балів, баланс: {balance}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerDesk</name>
    <message>
        <source>Name, phone or card, then Enter</source>
        <translation>Ім&apos;я, телефон або картка, потім Enter</translation>
    </message>
    <message>
        <source>Find a customer on the left</source>
        <translation>Знайдіть клієнта ліворуч</translation>
    </message>
    <message>
        <source>Refund  Ctrl+R</source>
        <translation>Повернення  Ctrl+R</translation>
    </message>
    <message>
        <source>New card  Ctrl+L</source>
        <translation>Нова картка  Ctrl+L</translation>
    </message>
    <message>
        <source>Block  Ctrl+B</source>
        <translation>Заблокувати  Ctrl+B</translation>
    </message>
    <message>
        <source>Unblock  Ctrl+U</source>
        <translation>Розблокувати  Ctrl+U</translation>
    </message>
    <message>
        <source>Serve  Ctrl+Enter</source>
        <translation>Обслужити  Ctrl+Enter</translation>
    </message>
    <message>
        <source>Print card  Ctrl+P</source>
        <translation>Друк картки  Ctrl+P</translation>
    </message>
    <message>
        <source>Complaint / suggestion  Ctrl+M</source>
        <translation>Скарга / пропозиція  Ctrl+M</translation>
    </message>
    <message>
        <source>Adjust points (owner)  Ctrl+J</source>
        <translation>Коригувати бали (власник)  Ctrl+J</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Продажі</translation>
    </message>
    <message>
        <source>Points history</source>
        <translation>Історія балів</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Дані</translation>
    </message>
    <message>
        <source>e.g. 31.12.1990</source>
        <translation>напр. 31.12.1990</translation>
    </message>
    <message>
        <source>Agrees to receive messages</source>
        <translation>Згоден отримувати повідомлення</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Ім&apos;я</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Ел. пошта</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День народження</translation>
    </message>
    <message>
        <source>Save details  Ctrl+S</source>
        <translation>Зберегти дані  Ctrl+S</translation>
    </message>
    <message>
        <source>Nobody matches “{text}”.</source>
        <translation>Ніхто не відповідає «{text}».</translation>
    </message>
    <message>
        <source>no card</source>
        <translation>немає картки</translation>
    </message>
    <message>
        <source>{tier} · balance {points} points · paid {paid} in {visits} visits · member since {since}
Cards: {cards}</source>
        <translation>{tier} · баланс {points} б. · сплачено {paid}, візитів: {visits} · клієнт з {since}
Картки: {cards}</translation>
    </message>
    <message>
        <source>Sign in at the counter first (F1): refunds and card changes are recorded as the cashier&apos;s.</source>
        <translation>Спершу увійдіть на касі (F1): повернення й дії з картками записуються на касира.</translation>
    </message>
    <message>
        <source>Pick the sale to refund in the Sales list first.</source>
        <translation>Спершу виберіть продаж для повернення у списку «Продажі».</translation>
    </message>
    <message>
        <source>This sale was already refunded in full.</source>
        <translation>Цей продаж уже повністю повернуто.</translation>
    </message>
    <message>
        <source>Refunded {money}: {back} points given back, {taken} taken back.</source>
        <translation>Повернуто {money}: балів повернуто — {back}, списано назад — {taken}.</translation>
    </message>
    <message>
        <source>Block card</source>
        <translation>Заблокувати картку</translation>
    </message>
    <message>
        <source>Why is card {card} blocked? (lost, stolen, misused)</source>
        <translation>Чому картку {card} блокують? (загублена, викрадена, зловживання)</translation>
    </message>
    <message>
        <source>Card {card} is blocked. Replace it with Ctrl+L when the customer gets a new card.</source>
        <translation>Картку {card} заблоковано. Замініть її через Ctrl+L, коли клієнт отримає нову картку.</translation>
    </message>
    <message>
        <source>Card {card} works again.</source>
        <translation>Картка {card} знову працює.</translation>
    </message>
    <message>
        <source>Replace lost card</source>
        <translation>Замінити загублену картку</translation>
    </message>
    <message>
        <source>Scan the new pre-printed card, or leave empty to issue a new number.</source>
        <translation>Відскануйте нову передруковану картку або залиште порожнім, щоб видати новий номер.</translation>
    </message>
    <message>
        <source>New card {card}; the old one no longer works. Balance {points} points kept.</source>
        <translation>Нова картка {card}; стара більше не працює. Баланс збережено: {points} б.</translation>
    </message>
    <message>
        <source>Details saved.</source>
        <translation>Дані збережено.</translation>
    </message>
    <message>
        <source>Only the owner can adjust points.</source>
        <translation>Коригувати бали може лише власник.</translation>
    </message>
    <message>
        <source>Points adjusted by {points}: balance {balance}. Reason: {reason}</source>
        <translation>Бали скориговано на {points}: баланс {balance}. Причина: {reason}</translation>
    </message>
    <message>
        <source>Thank you: the owner will read it in Feedback (F10).</source>
        <translation>Дякуємо: власник прочитає це в розділі «Відгуки» (F10).</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <source>Only one screen is connected, so there is nowhere to show the customer display. Connect a second monitor facing the customer (HDMI or VGA), and it will appear here.</source>
        <translation>Підключено лише один екран, тому екран покупця показати ніде. Підключіть другий монітор, звернений до покупця (HDMI або VGA), і він з&apos;явиться тут.</translation>
    </message>
    <message>
        <source>Customer display</source>
        <translation>Екран покупця</translation>
    </message>
    <message>
        <source>Your points</source>
        <translation>Ваші бали</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Нараховано балів</translation>
    </message>
    <message>
        <source>New balance</source>
        <translation>Новий баланс</translation>
    </message>
    <message>
        <source>How likely are you to recommend us to a friend?</source>
        <translation>Наскільки ймовірно, що ви порекомендуєте нас другові?</translation>
    </message>
    <message>
        <source>0 — not at all</source>
        <translation>0 — точно ні</translation>
    </message>
    <message>
        <source>10 — certainly</source>
        <translation>10 — обов&apos;язково</translation>
    </message>
    <message>
        <source>Tell the cashier your number.</source>
        <translation>Назвіть касирові вашу оцінку.</translation>
    </message>
    <message>
        <source>Ask for a loyalty card!</source>
        <translation>Попросіть картку лояльності!</translation>
    </message>
    <message>
        <source>Thank you! Your answer helps us do better.</source>
        <translation>Дякуємо! Ваша відповідь допомагає нам ставати кращими.</translation>
    </message>
    <message>
        <source>{low}% of every purchase back in points, up to {high}% at {tier}</source>
        <translation>{low}% від кожної покупки повертається балами, до {high}% на рівні {tier}</translation>
    </message>
    <message>
        <source>{low}% of every purchase back in points</source>
        <translation>{low}% від кожної покупки повертається балами</translation>
    </message>
    <message>
        <source>1 point = {money}; points pay up to {cap}% of a purchase</source>
        <translation>1 бал = {money}; балами можна сплатити до {cap}% покупки</translation>
    </message>
    <message>
        <source>Discounts up to {pct}% at {tier}</source>
        <translation>Знижки до {pct}% на рівні {tier}</translation>
    </message>
    <message>
        <source>{points} points as a welcome gift</source>
        <translation>Вітальний подарунок — балів: {points}</translation>
    </message>
    <message>
        <source>{points} points for your birthday</source>
        <translation>Балів у подарунок на день народження: {points}</translation>
    </message>
    <message>
        <source>Points stay valid for a year</source>
        <translation>Бали діють рік</translation>
    </message>
    <message>
        <source>Points stay valid for {n} years</source>
        <translation>Бали діють {n} р.</translation>
    </message>
    <message>
        <source>Points stay valid for {n} days</source>
        <translation>Бали діють {n} дн.</translation>
    </message>
    <message>
        <source>Hello, {name}!</source>
        <translation>Вітаємо, {name}!</translation>
    </message>
    <message>
        <source>Happy birthday! 🎉</source>
        <translation>З днем народження! 🎉</translation>
    </message>
    <message>
        <source>Hello!</source>
        <translation>Вітаємо!</translation>
    </message>
    <message>
        <source>Thank you, {name}!</source>
        <translation>Дякуємо, {name}!</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>Дякуємо!</translation>
    </message>
    <message>
        <source>You paid with {points} points</source>
        <translation>Сплачено балами: {points}</translation>
    </message>
    <message>
        <source>Welcome to {tier}!</source>
        <translation>Ласкаво просимо на рівень {tier}!</translation>
    </message>
    <message>
        <source>{tier} — our highest level</source>
        <translation>{tier} — наш найвищий рівень</translation>
    </message>
    <message>
        <source>{tier} · {money} more to {next}</source>
        <translation>{tier} · до рівня {next} залишилося {money}</translation>
    </message>
</context>
<context>
    <name>CustomerLookup</name>
    <message>
        <source>Find a customer: card, phone or name, then Enter</source>
        <translation>Знайти клієнта: картка, телефон або ім&apos;я, потім Enter</translation>
    </message>
    <message>
        <source>Nobody matches “{text}”. Try the phone&apos;s last digits or part of the name; F4 registers a new customer.</source>
        <translation>Ніхто не відповідає «{text}». Спробуйте останні цифри телефону або частину імені; F4 — новий клієнт.</translation>
    </message>
    <message>
        <source>{n} customers match. Pick one with the arrow keys and Enter; Esc goes back.</source>
        <translation>Знайдено клієнтів: {n}. Виберіть стрілками й натисніть Enter; Esc — назад.</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>Scan the customer&apos;s card</source>
        <translation>Відскануйте картку клієнта</translation>
    </message>
    <message>
        <source>The till is ready: scan at any time, even while typing.</source>
        <translation>Каса готова: скануйте будь-коли, навіть під час введення.</translation>
    </message>
    <message>
        <source>Find by card number, phone or name</source>
        <translation>Пошук за номером картки, телефоном або ім&apos;ям</translation>
    </message>
    <message>
        <source>Register a new customer</source>
        <translation>Зареєструвати нового клієнта</translation>
    </message>
    <message>
        <source>Sale without a card</source>
        <translation>Продаж без картки</translation>
    </message>
    <message>
        <source>Complaint / suggestion  Ctrl+M</source>
        <translation>Скарга / пропозиція  Ctrl+M</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Баланс</translation>
    </message>
    <message>
        <source>Next tier</source>
        <translation>Наступний рівень</translation>
    </message>
    <message>
        <source>Last visits</source>
        <translation>Останні візити</translation>
    </message>
    <message>
        <source>First visit — welcome them!</source>
        <translation>Перший візит — привітайте клієнта!</translation>
    </message>
    <message>
        <source>{screen}: history, refunds, lost cards</source>
        <translation>{screen}: історія, повернення, загублені картки</translation>
    </message>
    <message>
        <source>{points} pts</source>
        <translation>{points} б.</translation>
    </message>
    <message>
        <source>{money} to {tier}</source>
        <translation>{money} до рівня {tier}</translation>
    </message>
    <message>
        <source>Top tier reached</source>
        <translation>Досягнуто найвищого рівня</translation>
    </message>
    <message>
        <source>Negative balance: a refund took back points already spent. No points can be spent until it is settled.</source>
        <translation>Від&apos;ємний баланс: повернення забрало вже витрачені бали. Витрачати бали не можна, доки баланс не відновиться.</translation>
    </message>
    <message>
        <source>Birthday on {day} — wish them a happy birthday!</source>
        <translation>День народження {day} — привітайте клієнта!</translation>
    </message>
    <message>
        <source>This purchase takes them to {tier}!</source>
        <translation>З цією покупкою клієнт переходить на рівень {tier}!</translation>
    </message>
    <message>
        <source>This is their visit number {n} — thank them for coming back!</source>
        <translation>Це візит номер {n} — подякуйте, що клієнт повернувся!</translation>
    </message>
    <message>
        <source>One year with us today — thank them for their loyalty!</source>
        <translation>Сьогодні рік із нами — подякуйте за вірність!</translation>
    </message>
    <message>
        <source>{n} years with us — thank them for their loyalty!</source>
        <translation>Років із нами: {n} — подякуйте за вірність!</translation>
    </message>
    <message>
        <source>{points} points expire on {day} — offer to use them.</source>
        <translation>{day} згорять бали: {points} — запропонуйте їх витратити.</translation>
    </message>
    <message numerus="yes">
        <source>Card {card}{phone} · %n visit(s)</source>
        <translation>
            <numerusform>Картка {card}{phone} · %n візит</numerusform>
            <numerusform>Картка {card}{phone} · %n візити</numerusform>
            <numerusform>Картка {card}{phone} · %n візитів</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DamagedDatabase</name>
    <message>
        <source>Cannot open the database</source>
        <translation>Не вдається відкрити базу даних</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>Резервну копію відновлено</translation>
    </message>
    <message>
        <source>The database %1 is damaged or is not a loyalty terminal database.</source>
        <translation>База даних %1 пошкоджена або не є базою термінала лояльності.</translation>
    </message>
    <message>
        <source>The newest backup was made on %1. Put it back now? Sales since then are not in it; the damaged file is kept next to the backups.</source>
        <translation>Останню резервну копію зроблено %1. Відновити її зараз? Продажів після неї в ній немає; пошкоджений файл зберігається поруч із резервними копіями.</translation>
    </message>
    <message>
        <source>Restore the backup of %1</source>
        <translation>Відновити копію від %1</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>Points liability</source>
        <translation>Зобов&apos;язання за балами</translation>
    </message>
    <message>
        <source>Live points (not yet spent or expired) × the value of one point; below: what expires in the next 30 days.</source>
        <translation>Чинні бали (ще не витрачені й не згорілі) × вартість одного бала; нижче — що згорить у найближчі 30 днів.</translation>
    </message>
    <message>
        <source>Sales by week</source>
        <translation>Продажі за тижнями</translation>
    </message>
    <message>
        <source>Members by week</source>
        <translation>Учасники за тижнями</translation>
    </message>
    <message>
        <source>Members by tier</source>
        <translation>Учасники за рівнями</translation>
    </message>
    <message>
        <source>NPS by month</source>
        <translation>NPS за місяцями</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Звіти</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Зберегти в PDF…</translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation>Зберегти в CSV…</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Активні</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Нові</translation>
    </message>
    <message>
        <source>Counting… (large shops take a while)</source>
        <translation>Рахуємо… (у великих магазинах це займає час)</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>Скарга</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>Пропозиція</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>Подяка</translation>
    </message>
    <message>
        <source>Save the dashboard as PDF</source>
        <translation>Зберегти панель у PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Файли PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Loyalty dashboard</source>
        <translation>Панель програми лояльності</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Клієнт</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Продажі</translation>
    </message>
    <message>
        <source>Spent</source>
        <translation>Витрачено</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Бали</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>Останній візит</translation>
    </message>
    <message>
        <source>Days away</source>
        <translation>Днів відсутній</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Візити</translation>
    </message>
    <message>
        <source>Spent in all</source>
        <translation>Витрачено всього</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>What was said</source>
        <translation>Що сказано</translation>
    </message>
    <message>
        <source>Cohort retention</source>
        <translation>Утримання за когортами</translation>
    </message>
    <message>
        <source>Top customers</source>
        <translation>Найкращі клієнти</translation>
    </message>
    <message>
        <source>Call-back list</source>
        <translation>Кому передзвонити</translation>
    </message>
    <message>
        <source>Open feedback</source>
        <translation>Відкриті відгуки</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Останні 30 днів</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Цей місяць</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Минулий місяць</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Останні 90 днів</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>Останні 12 місяців</translation>
    </message>
    <message>
        <source>Chosen dates</source>
        <translation>Вибрані дати</translation>
    </message>
    <message>
        <source>from</source>
        <translation>з</translation>
    </message>
    <message>
        <source>to</source>
        <translation>по</translation>
    </message>
    <message>
        <source>The figures could not be counted right now. The figures shown are from before; try again in a moment, or make a backup and tell support.</source>
        <translation>Зараз не вдалося порахувати показники. Показано попередні цифри; спробуйте трохи згодом або створіть резервну копію й повідомте підтримку.</translation>
    </message>
    <message>
        <source>Cohort</source>
        <translation>Когорта</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Учасники</translation>
    </message>
    <message>
        <source>%1 expire in 30 days</source>
        <translation>%1 згорить за 30 днів</translation>
    </message>
    <message>
        <source>Revenue, %1</source>
        <translation>Виторг, %1</translation>
    </message>
    <message>
        <source>before: %1</source>
        <translation>раніше: %1</translation>
    </message>
    <message>
        <source>(no customer)</source>
        <translation>(без клієнта)</translation>
    </message>
    <message>
        <source>compared with %1 – %2</source>
        <translation>порівняно з %1 – %2</translation>
    </message>
    <message>
        <source>Loyalty dashboard, %1 – %2 (%3)</source>
        <translation>Панель програми лояльності, %1 – %2 (%3)</translation>
    </message>
    <message>
        <source>Active members</source>
        <translation>Активні учасники</translation>
    </message>
    <message>
        <source>Members who bought at least once in the period.</source>
        <translation>Учасники, які купили хоча б раз за період.</translation>
    </message>
    <message>
        <source>New members</source>
        <translation>Нові учасники</translation>
    </message>
    <message>
        <source>Customers registered in the period.</source>
        <translation>Клієнти, зареєстровані за період.</translation>
    </message>
    <message>
        <source>Participation</source>
        <translation>Участь</translation>
    </message>
    <message>
        <source>Sales with a card ÷ all sales.</source>
        <translation>Продажі з карткою ÷ усі продажі.</translation>
    </message>
    <message>
        <source>Repeat purchase rate</source>
        <translation>Частка повторних покупок</translation>
    </message>
    <message>
        <source>Active members with 2 or more purchases ÷ active members.</source>
        <translation>Активні учасники з 2 і більше покупками ÷ активні учасники.</translation>
    </message>
    <message>
        <source>Purchase frequency</source>
        <translation>Частота покупок</translation>
    </message>
    <message>
        <source>Sales with a card ÷ active members.</source>
        <translation>Продажі з карткою ÷ активні учасники.</translation>
    </message>
    <message>
        <source>Average check</source>
        <translation>Середній чек</translation>
    </message>
    <message>
        <source>Sum of check amounts ÷ number of sales (all sales).</source>
        <translation>Сума чеків ÷ кількість продажів (усі продажі).</translation>
    </message>
    <message>
        <source>Average check, members</source>
        <translation>Середній чек учасників</translation>
    </message>
    <message>
        <source>Sum of members&apos; check amounts ÷ members&apos; sales.</source>
        <translation>Сума чеків учасників ÷ продажі учасників.</translation>
    </message>
    <message>
        <source>Average first check</source>
        <translation>Середній перший чек</translation>
    </message>
    <message>
        <source>Average check of members&apos; very first purchases made in the period.</source>
        <translation>Середній чек найперших покупок учасників за період.</translation>
    </message>
    <message>
        <source>Average repeat check</source>
        <translation>Середній повторний чек</translation>
    </message>
    <message>
        <source>Average check of members&apos; purchases that were not their first.</source>
        <translation>Середній чек покупок учасників, крім першої.</translation>
    </message>
    <message>
        <source>Customer lifetime value</source>
        <translation>Довічна цінність клієнта</translation>
    </message>
    <message>
        <source>All members&apos; purchases up to the period&apos;s end ÷ members registered by then.</source>
        <translation>Усі покупки учасників до кінця періоду ÷ учасники, зареєстровані на той час.</translation>
    </message>
    <message>
        <source>Retention (CRR)</source>
        <translation>Утримання (CRR)</translation>
    </message>
    <message>
        <source>Members active in the previous period who bought again in this one ÷ members active in the previous period.</source>
        <translation>Учасники, активні в попередньому періоді, які купили знову в цьому ÷ учасники, активні в попередньому періоді.</translation>
    </message>
    <message>
        <source>Churn</source>
        <translation>Відтік</translation>
    </message>
    <message>
        <source>100 % − retention.</source>
        <translation>100 % − утримання.</translation>
    </message>
    <message>
        <source>Points issued</source>
        <translation>Нараховано балів</translation>
    </message>
    <message>
        <source>Earned + welcome + birthday + referral + milestone + positive adjustments − points taken back by refunds and negative adjustments.</source>
        <translation>Нараховані + вітальні + на день народження + реферальні + за візити + додатні коригування − бали, списані під час повернень, і від&apos;ємні коригування.</translation>
    </message>
    <message>
        <source>Points redeemed</source>
        <translation>Витрачено балів</translation>
    </message>
    <message>
        <source>Points spent on purchases − points returned by refunds.</source>
        <translation>Бали, витрачені на покупки − бали, повернуті під час повернень.</translation>
    </message>
    <message>
        <source>Points expired</source>
        <translation>Згоріло балів</translation>
    </message>
    <message>
        <source>Points written off because their expiry date came.</source>
        <translation>Бали, списані після закінчення терміну дії.</translation>
    </message>
    <message>
        <source>Redemption rate</source>
        <translation>Частка використання балів</translation>
    </message>
    <message>
        <source>Points redeemed ÷ points issued in the period.</source>
        <translation>Витрачені бали ÷ нараховані бали за період.</translation>
    </message>
    <message>
        <source>NPS</source>
        <translation>NPS</translation>
    </message>
    <message>
        <source>% promoters (9–10) − % detractors (0–6) among the answers at the counter; −100 to 100.</source>
        <translation>% промоутерів (9–10) − % критиків (0–6) серед відповідей на касі; від −100 до 100.</translation>
    </message>
    <message>
        <source>CSAT</source>
        <translation>CSAT</translation>
    </message>
    <message>
        <source>Answers of 8, 9 or 10 ÷ all answers to the counter&apos;s 0–10 question.</source>
        <translation>Відповіді 8, 9 або 10 ÷ усі відповіді на запитання каси за шкалою 0–10.</translation>
    </message>
    <message>
        <source>Number of sales (checks) in the period.</source>
        <translation>Кількість продажів (чеків) за період.</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Виторг</translation>
    </message>
    <message>
        <source>Sum of check amounts before loyalty discounts and points; refunds not deducted.</source>
        <translation>Сума чеків до знижок і балів програми; повернення не віднімаються.</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <source>in use</source>
        <translation>діє</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>заблокована</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>замінена</translation>
    </message>
    <message>
        <source>not given out</source>
        <translation>не видана</translation>
    </message>
</context>
<context>
    <name>Erasure</name>
    <message>
        <source>Erased customer</source>
        <translation>Видалений клієнт</translation>
    </message>
    <message>
        <source>(text erased at the customer&apos;s request)</source>
        <translation>(текст видалено на прохання клієнта)</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Scan or type a card number.</source>
        <translation>Відскануйте або введіть номер картки.</translation>
    </message>
    <message>
        <source>The card number was mangled by a spreadsheet (it shows as “{text}”); format that column as text and try again.</source>
        <translation>Номер картки зіпсовано електронною таблицею (показано як «{text}»); задайте цьому стовпцю текстовий формат і спробуйте знову.</translation>
    </message>
    <message>
        <source>That is not a card number: it must contain digits only.</source>
        <translation>Це не номер картки: він має складатися лише з цифр.</translation>
    </message>
    <message>
        <source>A card number has {length} digits; this one has {count}.</source>
        <translation>У номері картки {length} цифр; у цьому — {count}.</translation>
    </message>
    <message>
        <source>Wrong check digit: the number was mistyped or misread. Scan again.</source>
        <translation>Неправильна контрольна цифра: номер набрано або зчитано з помилкою. Відскануйте знову.</translation>
    </message>
    <message>
        <source>This is a product barcode, not one of our loyalty cards.</source>
        <translation>Це штрихкод товару, а не наша картка лояльності.</translation>
    </message>
    <message>
        <source>“{text}” is not a number of points; use none, max or a whole number.</source>
        <translation>«{text}» — не кількість балів; введіть none, max або ціле число.</translation>
    </message>
    <message>
        <source>The amount must be more than zero.</source>
        <translation>Сума має бути більшою за нуль.</translation>
    </message>
    <message>
        <source>Points can only be used with the customer&apos;s card.</source>
        <translation>Бали можна використати лише з карткою клієнта.</translation>
    </message>
    <message>
        <source>Points to redeem cannot be negative.</source>
        <translation>Кількість балів для списання не може бути від&apos;ємною.</translation>
    </message>
    <message>
        <source>This shop&apos;s program gives a discount; it has no points to spend.</source>
        <translation>Програма цього магазину дає знижку; балів для списання в ній немає.</translation>
    </message>
    <message>
        <source>The balance is negative ({balance}); points cannot be spent until it is back above zero.</source>
        <translation>Баланс від&apos;ємний ({balance}); витрачати бали не можна, доки він не стане більшим за нуль.</translation>
    </message>
    <message>
        <source>Only {balance} points are available; {wanted} were asked for.</source>
        <translation>Доступно балів: {balance}; запитано: {wanted}.</translation>
    </message>
    <message>
        <source>Points can be spent from a balance of {minimum}.</source>
        <translation>Бали можна витрачати при балансі від {minimum}.</translation>
    </message>
    <message>
        <source>At most {cap} points can be spent on this check.</source>
        <translation>На цей чек можна витратити не більше балів: {cap}.</translation>
    </message>
    <message>
        <source>“{text}” is not a real date.</source>
        <translation>«{text}» — неіснуюча дата.</translation>
    </message>
    <message>
        <source>“{text}” is not a date; type it as 31.12.1990 or 1990-12-31.</source>
        <translation>«{text}» — не дата; введіть її як 31.12.1990 або 1990-12-31.</translation>
    </message>
    <message>
        <source>The birthday cannot be in the future.</source>
        <translation>День народження не може бути в майбутньому.</translation>
    </message>
    <message>
        <source>The birthday is more than 120 years ago.</source>
        <translation>День народження понад 120 років тому.</translation>
    </message>
    <message>
        <source>Enter the customer&apos;s name.</source>
        <translation>Введіть ім&apos;я клієнта.</translation>
    </message>
    <message>
        <source>The name is too long (at most 120 characters).</source>
        <translation>Ім&apos;я задовге (не більше 120 символів).</translation>
    </message>
    <message>
        <source>“{email}” is not an e-mail address.</source>
        <translation>«{email}» — не адреса електронної пошти.</translation>
    </message>
    <message>
        <source>balance “{text}” is not a whole number of points</source>
        <translation>баланс «{text}» — не ціле число балів</translation>
    </message>
    <message>
        <source>negative balance {value}</source>
        <translation>від&apos;ємний баланс {value}</translation>
    </message>
    <message>
        <source>balance {value} is more than the {most} points a card can bring</source>
        <translation>баланс {value} більший за {most} балів, які може перенести картка</translation>
    </message>
    <message>
        <source>consent “{text}” is neither yes nor no</source>
        <translation>згода «{text}» — ні «так», ні «ні»</translation>
    </message>
    <message>
        <source>card {padded} is not in the in-store range (it does not start with 2), so the counter could not scan it; empty the cell to issue a new card</source>
        <translation>картка {padded} не з діапазону магазину (не починається з 2), тому каса не змогла б її відсканувати; очистьте клітинку, щоб видати нову картку</translation>
    </message>
    <message>
        <source>card {compact}: wrong check digit</source>
        <translation>картка {compact}: неправильна контрольна цифра</translation>
    </message>
    <message>
        <source>card “{text}”: {message}</source>
        <translation>картка «{text}»: {message}</translation>
    </message>
    <message>
        <source>Choose the column that holds the customers&apos; names.</source>
        <translation>Виберіть стовпець з іменами клієнтів.</translation>
    </message>
    <message>
        <source>missing name</source>
        <translation>немає імені</translation>
    </message>
    <message>
        <source>name longer than 120 characters</source>
        <translation>ім&apos;я довше за 120 символів</translation>
    </message>
    <message>
        <source>phone {phone} already belongs to a customer in the shop</source>
        <translation>телефон {phone} уже належить клієнтові магазину</translation>
    </message>
    <message>
        <source>duplicate phone {phone} (already on line {line})</source>
        <translation>повтор телефону {phone} (уже в рядку {line})</translation>
    </message>
    <message>
        <source>duplicate card {card}: it already belongs to a customer</source>
        <translation>повтор картки {card}: вона вже належить клієнтові</translation>
    </message>
    <message>
        <source>duplicate card {card} (already on line {line})</source>
        <translation>повтор картки {card} (уже в рядку {line})</translation>
    </message>
    <message>
        <source>bad phone “{text}”: {message}</source>
        <translation>неправильний телефон «{text}»: {message}</translation>
    </message>
    <message>
        <source>birthday: {message}</source>
        <translation>день народження: {message}</translation>
    </message>
    <message>
        <source>“{text}” is not an e-mail address</source>
        <translation>«{text}» — не адреса електронної пошти</translation>
    </message>
    <message>
        <source>Enter an amount.</source>
        <translation>Введіть суму.</translation>
    </message>
    <message>
        <source>The amount cannot be negative.</source>
        <translation>Сума не може бути від&apos;ємною.</translation>
    </message>
    <message>
        <source>“{shown}” is not an amount. Type digits, e.g. 123.45.</source>
        <translation>«{shown}» — не сума. Вводьте цифри, наприклад 123,45.</translation>
    </message>
    <message>
        <source>This currency has no minor units; type a whole amount.</source>
        <translation>У цієї валюти немає дробових одиниць; введіть цілу суму.</translation>
    </message>
    <message>
        <source>Too many digits after the decimal point: at most {decimals}.</source>
        <translation>Забагато цифр після коми: не більше {decimals}.</translation>
    </message>
    <message>
        <source>“{text}” is not an amount.</source>
        <translation>«{text}» — не сума.</translation>
    </message>
    <message>
        <source>The amount is above {maximum}, the most one check can be; check it.</source>
        <translation>Сума більша за {maximum} — більша, ніж може бути один чек; перевірте її.</translation>
    </message>
    <message>
        <source>The amount is too large.</source>
        <translation>Сума завелика.</translation>
    </message>
    <message>
        <source>Enter a phone number.</source>
        <translation>Введіть номер телефону.</translation>
    </message>
    <message>
        <source>A phone number may contain only digits, spaces, dashes and +.</source>
        <translation>Номер телефону може містити лише цифри, пробіли, дефіси та +.</translation>
    </message>
    <message>
        <source>This phone number has {count} digits; type it with the area code, e.g. 067 123 45 67.</source>
        <translation>У цьому номері телефону цифр: {count}; введіть його з кодом, наприклад 067 123 45 67.</translation>
    </message>
    <message>
        <source>The program must be a JSON object.</source>
        <translation>Програма має бути об&apos;єктом JSON.</translation>
    </message>
    <message>
        <source>Unknown program field “{unknown}”.</source>
        <translation>Невідоме поле програми «{unknown}».</translation>
    </message>
    <message>
        <source>“kind” must be bonus, discount or hybrid.</source>
        <translation>«kind» має бути bonus, discount або hybrid.</translation>
    </message>
    <message>
        <source>“stacking” must be best or sum.</source>
        <translation>«stacking» має бути best або sum.</translation>
    </message>
    <message>
        <source>“categories” must be a list of names.</source>
        <translation>«categories» має бути списком назв.</translation>
    </message>
    <message>
        <source>“extras” must be an object.</source>
        <translation>«extras» має бути об&apos;єктом.</translation>
    </message>
    <message>
        <source>“{name}” must be true or false.</source>
        <translation>«{name}» має бути true або false.</translation>
    </message>
    <message>
        <source>The program needs at least one tier.</source>
        <translation>У програмі потрібен хоча б один рівень.</translation>
    </message>
    <message>
        <source>The first tier must start at 0.</source>
        <translation>Перший рівень має починатися з 0.</translation>
    </message>
    <message>
        <source>Tier “{upper}” must start above “{lower}”.</source>
        <translation>Рівень «{upper}» має починатися вище за рівень «{lower}».</translation>
    </message>
    <message>
        <source>Every tier needs its own name.</source>
        <translation>Кожен рівень повинен мати власну назву.</translation>
    </message>
    <message>
        <source>Rates of tier “{name}” must be between 0 % and 100 %.</source>
        <translation>Ставки рівня «{name}» мають бути від 0 % до 100 %.</translation>
    </message>
    <message>
        <source>A point must be worth more than zero.</source>
        <translation>Бал має коштувати більше нуля.</translation>
    </message>
    <message>
        <source>The redemption cap must be between 0 % and 100 %.</source>
        <translation>Межа оплати балами має бути від 0 % до 100 %.</translation>
    </message>
    <message>
        <source>Each category must have its own name.</source>
        <translation>Кожна категорія повинна мати власну назву.</translation>
    </message>
    <message>
        <source>Every promotion needs a name.</source>
        <translation>Кожна акція повинна мати назву.</translation>
    </message>
    <message>
        <source>Promotion “{name}”: the multiplier must be between ×1 and ×10.</source>
        <translation>Акція «{name}»: множник має бути від ×1 до ×10.</translation>
    </message>
    <message>
        <source>Promotion “{name}”: the extra must be between 0 % and 100 %.</source>
        <translation>Акція «{name}»: надбавка має бути від 0 % до 100 %.</translation>
    </message>
    <message>
        <source>Promotion “{name}” gives nothing: set a multiplier or an extra %.</source>
        <translation>Акція «{name}» нічого не дає: задайте множник або надбавку у %.</translation>
    </message>
    <message>
        <source>Promotion “{name}” ends before it starts.</source>
        <translation>Акція «{name}» закінчується раніше, ніж починається.</translation>
    </message>
    <message>
        <source>Promotion “{name}”: the hours are empty.</source>
        <translation>Акція «{name}»: години не задано.</translation>
    </message>
    <message>
        <source>Promotion “{name}” names the unknown category “{unknown}”.</source>
        <translation>Акція «{name}» посилається на невідому категорію «{unknown}».</translation>
    </message>
    <message>
        <source>With its promotions, tier “{name}” could get a {what} rate of {value} %; it must stay at most 100 %.</source>
        <translation>З акціями рівень «{name}» може отримати ставку ({what}) {value} %; вона має залишатися не більшою за 100 %.</translation>
    </message>
    <message>
        <source>“{name}” must be a whole number.</source>
        <translation>«{name}» має бути цілим числом.</translation>
    </message>
    <message>
        <source>“{name}” must be at least {minimum}.</source>
        <translation>«{name}» має бути не меншим за {minimum}.</translation>
    </message>
    <message>
        <source>“{name}” must be at most {maximum}.</source>
        <translation>«{name}» має бути не більшим за {maximum}.</translation>
    </message>
    <message>
        <source>“tiers” must be a list.</source>
        <translation>«tiers» має бути списком.</translation>
    </message>
    <message>
        <source>Tier {number} needs a name.</source>
        <translation>Рівню {number} потрібна назва.</translation>
    </message>
    <message>
        <source>“milestones” must be a list of [visit, points].</source>
        <translation>«milestones» має бути списком пар [візит, бали].</translation>
    </message>
    <message>
        <source>Each milestone is [visit number, points].</source>
        <translation>Кожна віха — це [номер візиту, бали].</translation>
    </message>
    <message>
        <source>“promotions” must be a list.</source>
        <translation>«promotions» має бути списком.</translation>
    </message>
    <message>
        <source>Promotion {number} needs a name.</source>
        <translation>Акції {number} потрібна назва.</translation>
    </message>
    <message>
        <source>Unknown field “{where}.{unknown}”.</source>
        <translation>Невідоме поле «{where}.{unknown}».</translation>
    </message>
    <message>
        <source>“{where}.weekdays” must list days 0 (Monday) to 6 (Sunday).</source>
        <translation>«{where}.weekdays» має перелічувати дні від 0 (понеділок) до 6 (неділя).</translation>
    </message>
    <message>
        <source>“{where}.categories” must be a list of names.</source>
        <translation>«{where}.categories» має бути списком назв.</translation>
    </message>
    <message>
        <source>“{name}” must be a date like 2026-12-31.</source>
        <translation>«{name}» має бути датою на кшталт 2026-12-31.</translation>
    </message>
    <message>
        <source>“{name}” must be [from, to], e.g. [&quot;16:00&quot;, &quot;18:00&quot;].</source>
        <translation>«{name}» має бути [з, по], наприклад [&quot;16:00&quot;, &quot;18:00&quot;].</translation>
    </message>
    <message>
        <source>“{name}” must be times like 16:00.</source>
        <translation>«{name}» має бути часом на кшталт 16:00.</translation>
    </message>
    <message>
        <source>This sale has already been refunded in full.</source>
        <translation>Цей продаж уже повністю повернуто.</translation>
    </message>
    <message>
        <source>The refund amount must be more than zero.</source>
        <translation>Сума повернення має бути більшою за нуль.</translation>
    </message>
    <message>
        <source>The refund is larger than what is left of the sale.</source>
        <translation>Повернення більше, ніж залишилося від продажу.</translation>
    </message>
    <message>
        <source>The file {name} cannot be opened: {exc}.</source>
        <translation>Файл {name} не відкривається: {exc}.</translation>
    </message>
    <message>
        <source>The file {name} is damaged ({status}); it cannot be used.</source>
        <translation>Файл {name} пошкоджено ({status}); використати його не можна.</translation>
    </message>
    <message>
        <source>The file {name} is not a loyalty terminal database.</source>
        <translation>Файл {name} — не база термінала лояльності.</translation>
    </message>
    <message>
        <source>The file {name} is damaged ({exc}); it cannot be used.</source>
        <translation>Файл {name} пошкоджено ({exc}); використати його не можна.</translation>
    </message>
    <message>
        <source>The file {name} belongs to another shop; restoring it would mix two shops&apos; customers.</source>
        <translation>Файл {name} належить іншому магазину; відновлення змішало б клієнтів двох магазинів.</translation>
    </message>
    <message>
        <source>The file {path} cannot be read: {strerror}.</source>
        <translation>Файл {path} не читається: {strerror}.</translation>
    </message>
    <message>
        <source>The file {name} is not a database (not an SQLite file).</source>
        <translation>Файл {name} — не база даних (не файл SQLite).</translation>
    </message>
    <message>
        <source>The file {name} is damaged (cut short); it cannot be used.</source>
        <translation>Файл {name} пошкоджено (обрізано); використати його не можна.</translation>
    </message>
    <message>
        <source>The file {name} cannot be checked: {exc}.</source>
        <translation>Файл {name} не вдається перевірити: {exc}.</translation>
    </message>
    <message>
        <source>The file {name} fails the books check: {problem}</source>
        <translation>Файл {name} не пройшов перевірку обліку: {problem}</translation>
    </message>
    <message>
        <source>The backup could not be made: {reason}</source>
        <translation>Резервну копію створити не вдалося: {reason}</translation>
    </message>
    <message>
        <source>The folder {text} does not exist.</source>
        <translation>Тека {text} не існує.</translation>
    </message>
    <message>
        <source>The reason is too long (at most {MAX_REASON} characters).</source>
        <translation>Причина задовга (не більше {MAX_REASON} символів).</translation>
    </message>
    <message>
        <source>Card {number} is not known here; check the number.</source>
        <translation>Картка {number} тут невідома; перевірте номер.</translation>
    </message>
    <message>
        <source>Card {number} is already blocked.</source>
        <translation>Картку {number} уже заблоковано.</translation>
    </message>
    <message>
        <source>Card {number} was already replaced and cannot be used anyway.</source>
        <translation>Картку {number} уже замінено, і вона все одно не працює.</translation>
    </message>
    <message>
        <source>Card {number} is not blocked.</source>
        <translation>Картку {number} не заблоковано.</translation>
    </message>
    <message>
        <source>Card {number} was never given to a customer; nothing to replace.</source>
        <translation>Картку {number} нікому не видавали; замінювати нічого.</translation>
    </message>
    <message>
        <source>Card {number} was already replaced; look the customer up by name or phone to see their current card.</source>
        <translation>Картку {number} уже замінено; знайдіть клієнта за ім&apos;ям або телефоном, щоб побачити його поточну картку.</translation>
    </message>
    <message>
        <source>The customer of card {number} no longer exists.</source>
        <translation>Клієнта картки {number} більше немає.</translation>
    </message>
    <message>
        <source>The new card must be a different card from the old one.</source>
        <translation>Нова картка має відрізнятися від старої.</translation>
    </message>
    <message>
        <source>This till has used up its card numbers; print from another till.</source>
        <translation>На цій касі закінчилися номери карток; друкуйте на іншій касі.</translation>
    </message>
    <message>
        <source>Say how many cards to print: a whole number from 1.</source>
        <translation>Укажіть, скільки карток друкувати: ціле число від 1.</translation>
    </message>
    <message>
        <source>At most {MAX_BATCH} cards can be reserved at once; split the order.</source>
        <translation>За раз можна зарезервувати не більше {MAX_BATCH} карток; розділіть замовлення.</translation>
    </message>
    <message>
        <source>There is no card batch “{batch}”.</source>
        <translation>Партії карток «{batch}» немає.</translation>
    </message>
    <message>
        <source>There is no card {number}.</source>
        <translation>Картки {number} немає.</translation>
    </message>
    <message>
        <source>Card {number} is blocked; issue a new card instead.</source>
        <translation>Картку {number} заблоковано; видайте замість неї нову.</translation>
    </message>
    <message>
        <source>Card {number} was replaced by another card; print the new one instead.</source>
        <translation>Картку {number} замінено іншою; друкуйте нову.</translation>
    </message>
    <message>
        <source>The customer&apos;s points changed since the quote (another till?). Check the new figures and confirm again.</source>
        <translation>Бали клієнта змінилися після розрахунку (інша каса?). Перевірте нові цифри й підтвердьте знову.</translation>
    </message>
    <message>
        <source>The customer is gone.</source>
        <translation>Клієнта більше немає.</translation>
    </message>
    <message>
        <source>This sale id was already used for a different sale; nothing was charged.</source>
        <translation>Цей ідентифікатор продажу вже використано для іншого продажу; нічого не списано.</translation>
    </message>
    <message>
        <source>Export to a .csv or an .xlsx file.</source>
        <translation>Експорт у файл .csv або .xlsx.</translation>
    </message>
    <message>
        <source>{name} has {balance} points: an adjustment can take at most that many, never more.</source>
        <translation>У клієнта {name} на рахунку {balance} б.: коригування не може списати більше.</translation>
    </message>
    <message>
        <source>Only the owner can adjust points.</source>
        <translation>Коригувати бали може лише власник.</translation>
    </message>
    <message>
        <source>This customer no longer exists.</source>
        <translation>Цього клієнта більше немає.</translation>
    </message>
    <message>
        <source>This customer&apos;s data was erased on request: their points stay as they are.</source>
        <translation>Дані цього клієнта видалено на його прохання: бали залишаються як є.</translation>
    </message>
    <message>
        <source>Customers and months must be at least 1, sales at least 0.</source>
        <translation>Клієнтів і місяців має бути не менше 1, продажів — не менше 0.</translation>
    </message>
    <message>
        <source>This database already has customers or sales; demo data goes into a new, empty database (use --db with a new file name).</source>
        <translation>У цій базі вже є клієнти або продажі; демо-дані створюються в новій порожній базі (укажіть --db з новою назвою файлу).</translation>
    </message>
    <message>
        <source>{name} already has the phone number {phone}.</source>
        <translation>У клієнта {name} уже є номер телефону {phone}.</translation>
    </message>
    <message>
        <source>No sale with the id {sale_id}.</source>
        <translation>Продажу з ідентифікатором {sale_id} немає.</translation>
    </message>
    <message>
        <source>Referrer&apos;s card: {exc}</source>
        <translation>Картка того, хто запросив: {exc}</translation>
    </message>
    <message>
        <source>The referrer&apos;s card {number} is not known here; check it.</source>
        <translation>Картка того, хто запросив, {number} тут невідома; перевірте її.</translation>
    </message>
    <message>
        <source>Card {number} already belongs to a customer; give them another card.</source>
        <translation>Картка {number} уже належить клієнтові; видайте іншу картку.</translation>
    </message>
    <message>
        <source>Choose complaint, suggestion or praise.</source>
        <translation>Виберіть: скарга, пропозиція або подяка.</translation>
    </message>
    <message>
        <source>Write what the customer said.</source>
        <translation>Запишіть, що сказав клієнт.</translation>
    </message>
    <message>
        <source>Keep it under {MAX_TEXT} characters.</source>
        <translation>Не більше {MAX_TEXT} символів.</translation>
    </message>
    <message>
        <source>That customer no longer exists.</source>
        <translation>Цього клієнта більше немає.</translation>
    </message>
    <message>
        <source>Write how it was resolved.</source>
        <translation>Запишіть, як питання вирішено.</translation>
    </message>
    <message>
        <source>That feedback item no longer exists.</source>
        <translation>Цього відгуку більше немає.</translation>
    </message>
    <message>
        <source>This item is already resolved.</source>
        <translation>Цей відгук уже вирішено.</translation>
    </message>
    <message>
        <source>There is no file {path}.</source>
        <translation>Файлу {path} немає.</translation>
    </message>
    <message>
        <source>Old Excel files (.xls) cannot be read; save the sheet as .xlsx or CSV.</source>
        <translation>Старі файли Excel (.xls) не читаються; збережіть аркуш як .xlsx або CSV.</translation>
    </message>
    <message>
        <source>{name} cannot be read: the quotation marks on line {line} do not pair up; correct that line and import again.</source>
        <translation>Не вдалося прочитати {name}: лапки в рядку {line} не мають пари; виправте цей рядок та імпортуйте знову.</translation>
    </message>
    <message>
        <source>{name} is not a readable Excel file ({exc}).</source>
        <translation>{name} — нечитабельний файл Excel ({exc}).</translation>
    </message>
    <message>
        <source>{name} is empty.</source>
        <translation>{name} порожній.</translation>
    </message>
    <message>
        <source>Unknown field “{field_name}”; use one of {join}.</source>
        <translation>Невідоме поле «{field_name}»; використайте одне з: {join}.</translation>
    </message>
    <message>
        <source>The file has no column “{column}”; its columns are {join}.</source>
        <translation>У файлі немає стовпця «{column}»; його стовпці: {join}.</translation>
    </message>
    <message>
        <source>{count} rows of {name} would be refused (line {line}: {reasons}). Fix them, or skip refused rows; nothing was imported.</source>
        <translation>Рядків файлу {name}, які буде відхилено: {count} (рядок {line}: {reasons}). Виправте їх або пропустіть відхилені рядки; нічого не імпортовано.</translation>
    </message>
    <message>
        <source>Card {number} belongs to no customer.</source>
        <translation>Картка {number} не належить жодному клієнтові.</translation>
    </message>
    <message>
        <source>Card {number} is not known here. Register the customer with it, or check the number.</source>
        <translation>Картка {number} тут невідома. Зареєструйте клієнта з нею або перевірте номер.</translation>
    </message>
    <message>
        <source>Card {number} has not been given to a customer yet. Register a customer with it.</source>
        <translation>Картку {number} ще не видано клієнтові. Зареєструйте клієнта з нею.</translation>
    </message>
    <message>
        <source>Card {number} is blocked{reason}.</source>
        <translation>Картку {number} заблоковано{reason}.</translation>
    </message>
    <message>
        <source>Card {number} was replaced by a new card; ask the customer for the new one.</source>
        <translation>Картку {number} замінено новою; попросіть у клієнта нову картку.</translation>
    </message>
    <message>
        <source>No customer has the phone number {stripped}.</source>
        <translation>Жоден клієнт не має номера телефону {stripped}.</translation>
    </message>
    <message>
        <source>“{stripped}” is neither a card number nor a phone number.</source>
        <translation>«{stripped}» — ні номер картки, ні номер телефону.</translation>
    </message>
    <message>
        <source>The score is a whole number from 0 to 10.</source>
        <translation>Оцінка — ціле число від 0 до 10.</translation>
    </message>
    <message>
        <source>This customer&apos;s data was erased.</source>
        <translation>Дані цього клієнта видалено.</translation>
    </message>
    <message>
        <source>{out} is a folder; give a file name.</source>
        <translation>{out} — тека; укажіть назву файлу.</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist.</source>
        <translation>Тека {folder} не існує.</translation>
    </message>
    <message>
        <source>“{version}” is not a program version; versions are numbered from 1.</source>
        <translation>«{version}» — не версія програми; версії нумеруються з 1.</translation>
    </message>
    <message>
        <source>There is no program version {version}.</source>
        <translation>Версії програми {version} немає.</translation>
    </message>
    <message>
        <source>Nothing changed: the program is the same as version {version}.</source>
        <translation>Нічого не змінилося: програма збігається з версією {version}.</translation>
    </message>
    <message>
        <source>Cannot read {name}: {strerror}.</source>
        <translation>Не вдається прочитати {name}: {strerror}.</translation>
    </message>
    <message>
        <source>{name} is not a program file: it is not UTF-8 text.</source>
        <translation>{name} — не файл програми: це не текст у UTF-8.</translation>
    </message>
    <message>
        <source>{name} is not valid JSON (line {lineno}, column {colno}: {msg}).</source>
        <translation>{name} — некоректний JSON (рядок {lineno}, стовпець {colno}: {msg}).</translation>
    </message>
    <message>
        <source>{message} (field “{field}”)</source>
        <translation>{message} (поле «{field}»)</translation>
    </message>
    <message>
        <source>This refund id was already used for another refund.</source>
        <translation>Цей ідентифікатор повернення вже використано для іншого повернення.</translation>
    </message>
    <message>
        <source>The sale&apos;s customer is gone.</source>
        <translation>Клієнта цього продажу більше немає.</translation>
    </message>
    <message>
        <source>The period ends before it starts.</source>
        <translation>Період закінчується раніше, ніж починається.</translation>
    </message>
    <message>
        <source>The period must end before {last}.</source>
        <translation>Період має закінчитися раніше {last}.</translation>
    </message>
    <message>
        <source>There is no file {source}.</source>
        <translation>Файлу {source} немає.</translation>
    </message>
    <message>
        <source>The file {name} is another shop&apos;s database, and this till already has {sales} sales of its own; restoring it would replace this shop&apos;s records.</source>
        <translation>Файл {name} — база іншого магазину, а на цій касі вже є власні продажі ({sales}); відновлення замінило б записи цього магазину.</translation>
    </message>
    <message>
        <source>The database stayed busy with another program (a sync, an import or a second window) through {attempts} tries; nothing was saved. Close the other program or wait for it to finish, then try again.</source>
        <translation>База даних залишалася зайнятою іншою програмою (синхронізація, імпорт або друге вікно) усі спроби ({attempts}); нічого не збережено. Закрийте іншу програму або дочекайтеся її завершення й повторіть.</translation>
    </message>
    <message>
        <source>Enter the shop&apos;s name.</source>
        <translation>Введіть назву магазину.</translation>
    </message>
    <message>
        <source>The shop name is too long (at most 80 characters).</source>
        <translation>Назва магазину задовга (не більше 80 символів).</translation>
    </message>
    <message>
        <source>“{currency_code}” is not a currency we know.</source>
        <translation>«{currency_code}» — невідома валюта.</translation>
    </message>
    <message>
        <source>The till number is a whole number from 1 to {MAX_TILL}.</source>
        <translation>Номер каси — ціле число від 1 до {MAX_TILL}.</translation>
    </message>
    <message>
        <source>The till number cannot change any more: cards were already issued with it.</source>
        <translation>Номер каси більше не можна змінити: з ним уже видано картки.</translation>
    </message>
    <message>
        <source>Till number {till_number} is already used by another till of this shop.</source>
        <translation>Номер каси {till_number} уже зайнятий іншою касою цього магазину.</translation>
    </message>
    <message>
        <source>“{language}” is not a language we offer.</source>
        <translation>«{language}» — мова, якої у нас немає.</translation>
    </message>
    <message>
        <source>“{text}” is not a printer address. Write usb:VID:PID (e.g. usb:0416:5011), serial:/dev/ttyUSB0 or network:192.168.1.50.</source>
        <translation>«{text}» — не адреса принтера. Пишіть usb:VID:PID (напр. usb:0416:5011), serial:/dev/ttyUSB0 або network:192.168.1.50.</translation>
    </message>
    <message>
        <source>Enter the printer&apos;s address to print slips.</source>
        <translation>Введіть адресу принтера, щоб друкувати чеки.</translation>
    </message>
    <message>
        <source>The paper is 58 or 80 mm wide.</source>
        <translation>Ширина паперу — 58 або 80 мм.</translation>
    </message>
    <message>
        <source>A PIN is {PIN_MIN} to {PIN_MAX} digits.</source>
        <translation>PIN складається з {PIN_MIN}–{PIN_MAX} цифр.</translation>
    </message>
    <message>
        <source>An owner PIN is already set.</source>
        <translation>PIN власника вже задано.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Неправильний PIN.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again at {until:%H:%M}.</source>
        <translation>Забагато неправильних PIN. Спробуйте знову о {until:%H:%M}.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again at {lock_until:%H:%M}.</source>
        <translation>Забагато неправильних PIN. Спробуйте знову о {lock_until:%H:%M}.</translation>
    </message>
    <message>
        <source>Wrong PIN. {left} tries left before a 5-minute lock.</source>
        <translation>Неправильний PIN. Спроб до блокування на 5 хвилин: {left}.</translation>
    </message>
    <message>
        <source>Type the person&apos;s name.</source>
        <translation>Введіть ім&apos;я працівника.</translation>
    </message>
    <message>
        <source>The role is cashier or owner.</source>
        <translation>Роль — касир або власник.</translation>
    </message>
    <message>
        <source>Someone already uses this PIN; choose another.</source>
        <translation>Цей PIN уже зайнятий; виберіть інший.</translation>
    </message>
    <message>
        <source>No such person.</source>
        <translation>Такого працівника немає.</translation>
    </message>
    <message>
        <source>The last owner cannot be switched off.</source>
        <translation>Останнього власника не можна вимкнути.</translation>
    </message>
    <message>
        <source>Choose never, 5, 15, 30 or 60 minutes.</source>
        <translation>Виберіть «ніколи», 5, 15, 30 або 60 хвилин.</translation>
    </message>
    <message>
        <source>Cannot write {target}.</source>
        <translation>Не вдається записати {target}.</translation>
    </message>
    <message>
        <source>The output file must end in .pdf: {path}</source>
        <translation>Файл результату має закінчуватися на .pdf: {path}</translation>
    </message>
    <message>
        <source>The folder {parent} does not exist.</source>
        <translation>Тека {parent} не існує.</translation>
    </message>
    <message>
        <source>“{text}” is not a valid {what} id (a UUID).</source>
        <translation>«{text}» — некоректний ідентифікатор ({what}, UUID).</translation>
    </message>
    <message>
        <source>The database is busy with another program (a sync or a second window). Try again in a moment.</source>
        <translation>База даних зайнята іншою програмою (синхронізація або друге вікно). Повторіть за хвилину.</translation>
    </message>
    <message>
        <source>The disk is full: nothing was saved. Free some space and try again.</source>
        <translation>Диск заповнений: нічого не збережено. Звільніть місце й повторіть.</translation>
    </message>
    <message>
        <source>The database file cannot be written (read-only): nothing was saved.</source>
        <translation>Файл бази даних не можна записати (лише читання): нічого не збережено.</translation>
    </message>
    <message>
        <source>The database file cannot be reached: nothing was saved.</source>
        <translation>Файл бази даних недоступний: нічого не збережено.</translation>
    </message>
    <message>
        <source>Type how many points to add (+) or take away (−).</source>
        <translation>Введіть, скільки балів додати (+) або списати (−).</translation>
    </message>
    <message>
        <source>“{shown}” is not a number of points. Type whole points, e.g. +50 or -20.</source>
        <translation>«{shown}» — не кількість балів. Введіть ціле число, наприклад +50 або -20.</translation>
    </message>
    <message>
        <source>Points are whole numbers, e.g. +50 or -20.</source>
        <translation>Бали — цілі числа, наприклад +50 або -20.</translation>
    </message>
    <message>
        <source>Zero points changes nothing. Type e.g. +50 or -20.</source>
        <translation>Нуль балів нічого не змінює. Введіть, наприклад, +50 або -20.</translation>
    </message>
    <message>
        <source>That is too many points for one adjustment (at most {most}).</source>
        <translation>Забагато балів для одного коригування (не більше {most}).</translation>
    </message>
    <message>
        <source>Write why the points change (e.g. “lost receipt, sale of 12 May”).</source>
        <translation>Напишіть, чому змінюються бали (наприклад, «загублений чек, покупка 12 травня»).</translation>
    </message>
    <message>
        <source>The reason is too long: at most {most} characters.</source>
        <translation>Причина задовга: не більше {most} символів.</translation>
    </message>
    <message>
        <source>A folder sync is already running; wait for it.</source>
        <translation>Синхронізація через папку вже триває; дочекайтеся її завершення.</translation>
    </message>
    <message>
        <source>The sync folder {folder} is not available (USB stick unplugged or network folder offline?). Sales go on; the next round tries again.</source>
        <translation>Папка синхронізації {folder} недоступна (флешку вийнято або мережева папка відключена?). Продажі тривають; наступний раунд спробує знову.</translation>
    </message>
    <message>
        <source>This till&apos;s news could not be written to {folder}: {reason}.</source>
        <translation>Не вдалося записати новини цієї каси до {folder}: {reason}.</translation>
    </message>
    <message>
        <source>The sync server address is not understood. It looks like postgresql://user:password@host:5432/database.</source>
        <translation>Адресу сервера синхронізації не розпізнано. Вона має вигляд postgresql://user:password@host:5432/database.</translation>
    </message>
    <message>
        <source>The sync server address must start with postgresql:// and name the host and the database, e.g. postgresql://user:password@host:5432/database.</source>
        <translation>Адреса сервера синхронізації має починатися з postgresql:// і вказувати сервер та базу даних, наприклад postgresql://user:password@host:5432/database.</translation>
    </message>
    <message>
        <source>Folder sync runs every 5, 15 or 60 minutes, or off.</source>
        <translation>Синхронізація через папку виконується кожні 5, 15 або 60 хвилин або вимкнена.</translation>
    </message>
    <message>
        <source>Choose the folder to sync through first.</source>
        <translation>Спочатку виберіть папку для синхронізації.</translation>
    </message>
    <message>
        <source>Type the sync server&apos;s password in place of ***.</source>
        <translation>Введіть пароль сервера синхронізації замість ***.</translation>
    </message>
    <message>
        <source>The owner PIN is needed: give it with --pin or ${env}.</source>
        <translation>Потрібен PIN власника: вкажіть його через --pin або ${env}.</translation>
    </message>
    <message>
        <source>No owner PIN is set yet: set it in the till window first.</source>
        <translation>PIN власника ще не задано: спершу задайте його у вікні каси.</translation>
    </message>
    <message>
        <source>This bundle was made by this very till; there is nothing to import.</source>
        <translation>Цей пакет створено цією ж касою; завантажувати нічого.</translation>
    </message>
    <message>
        <source>Bundles of till {till} are missing: this till has its events up to number {have}, the bundle starts at {first}. Import the earlier bundle first (or export again with --since {have}).</source>
        <translation>Бракує пакетів каси {till}: ця каса має її події до номера {have}, а пакет починається з {first}. Спочатку завантажте попередній пакет (або вивантажте знову з --since {have}).</translation>
    </message>
    <message>
        <source>The bundle of till {till} builds on news from other tills that this till has not received yet (a customer, card or sale made elsewhere). Import the other tills&apos; bundles first, then this one again; nothing was changed.</source>
        <translation>Пакет каси {till} спирається на новини інших кас, яких ця каса ще не отримала (покупець, картка або продаж, зроблені деінде). Спочатку завантажте пакети інших кас, потім цей знову; нічого не змінено.</translation>
    </message>
    <message>
        <source>That conflict is no longer on the list: news from another till showed it did not happen.</source>
        <translation>Цього конфлікту вже немає в списку: новини з іншої каси показали, що його не було.</translation>
    </message>
    <message>
        <source>That conflict is already marked as dealt with.</source>
        <translation>Цей конфлікт уже позначено як вирішений.</translation>
    </message>
    <message>
        <source>The bundle could not be written to {folder}: the disk is full. Nothing was marked as sent; free some space there or choose another folder.</source>
        <translation>Не вдалося записати пакет у {folder}: диск заповнений. Нічого не позначено як надіслане; звільніть там місце або виберіть іншу папку.</translation>
    </message>
    <message>
        <source>The bundle could not be written to {folder}: {reason}. Nothing was marked as sent.</source>
        <translation>Не вдалося записати пакет у {folder}: {reason}. Нічого не позначено як надіслане.</translation>
    </message>
    <message>
        <source>Events of till {till} are missing after number {have}.</source>
        <translation>Бракує подій каси {till} після номера {have}.</translation>
    </message>
    <message>
        <source>Cannot reach the sync server: {reason}. Sales go on; try again later.</source>
        <translation>Немає зв’язку із сервером синхронізації: {reason}. Продажі тривають; спробуйте пізніше.</translation>
    </message>
    <message>
        <source>Pushing to the sync server failed: {reason}.</source>
        <translation>Не вдалося надіслати на сервер синхронізації: {reason}.</translation>
    </message>
    <message>
        <source>Pulling from the sync server failed: {reason}.</source>
        <translation>Не вдалося отримати із сервера синхронізації: {reason}.</translation>
    </message>
    <message>
        <source>The sync server&apos;s news build on news of a till that has not pushed to it yet (a customer, card or sale made there); nothing was changed. Push from that till, or import its bundle here, then pull again.</source>
        <translation>Новини на сервері синхронізації спираються на новини каси, яка ще не надіслала їх на сервер (покупець, картка або продаж, зроблені там); нічого не змінено. Надішліть дані з тієї каси або завантажте тут її пакет, потім отримайте знову.</translation>
    </message>
    <message>
        <source>A till number is between 1 and 99.</source>
        <translation>Номер каси — від 1 до 99.</translation>
    </message>
    <message>
        <source>Till number {number} is already in use in this shop.</source>
        <translation>Номер каси {number} у цьому магазині вже зайнятий.</translation>
    </message>
    <message>
        <source>The pairing file could not be written to {folder}: the disk is full. Free some space there or choose another folder; the till number is still free.</source>
        <translation>Не вдалося записати файл підключення у {folder}: диск заповнений. Звільніть там місце або виберіть іншу папку; номер каси лишається вільним.</translation>
    </message>
    <message>
        <source>The pairing file could not be written to {folder}: {reason}. The till number is still free.</source>
        <translation>Не вдалося записати файл підключення у {folder}: {reason}. Номер каси лишається вільним.</translation>
    </message>
    <message>
        <source>This till was already set up as a shop of its own (its first-start questions were answered), so it cannot join another shop. A till that joins a shop does it from its first-start screen instead (“Join a shop…”), on a new, empty database.</source>
        <translation>Цю касу вже налаштовано як окремий магазин (на питання першого запуску вже відповіли), тож підключитися до іншого магазину вона не може. Каса, що підключається до магазину, робить це на екрані першого запуску («Підключитися до магазину…») з новою, порожньою базою даних.</translation>
    </message>
    <message>
        <source>This till already holds customers or sales from the other tills of its shop; only a new, empty till can join a shop.</source>
        <translation>На цій касі вже є покупці або продажі інших кас її магазину; підключитися до магазину може лише нова, порожня каса.</translation>
    </message>
    <message>
        <source>Other tills were paired from this one for its shop; only a new, empty till can join a shop.</source>
        <translation>З цієї каси вже підключали інші каси її магазину; підключитися до магазину може лише нова, порожня каса.</translation>
    </message>
    <message>
        <source>{path} is not a pairing file of this program.</source>
        <translation>{path} — не файл підключення цієї програми.</translation>
    </message>
    <message>
        <source>This till already belongs to that shop.</source>
        <translation>Ця каса вже належить до цього магазину.</translation>
    </message>
    <message>
        <source>This till already has its own customers or sales; only a new, empty till can join a shop.</source>
        <translation>Ця каса вже має своїх покупців або продажі; підключитися до магазину може лише нова, порожня каса.</translation>
    </message>
    <message>
        <source>The bundle file is not in the expected format.</source>
        <translation>Файл пакета має неочікуваний формат.</translation>
    </message>
    <message>
        <source>The bundle file is incomplete: its signature line is missing.</source>
        <translation>Файл пакета неповний: у ньому немає рядка підпису.</translation>
    </message>
    <message>
        <source>There is no bundle file at {path}.</source>
        <translation>Файлу пакета немає за шляхом {path}.</translation>
    </message>
    <message>
        <source>The bundle file is damaged or cut short (it is not a complete gzip file).</source>
        <translation>Файл пакета пошкоджений або обрізаний (це не цілий gzip-файл).</translation>
    </message>
    <message>
        <source>The bundle file is incomplete: it has no signature line.</source>
        <translation>Файл пакета неповний: у ньому немає рядка підпису.</translation>
    </message>
    <message>
        <source>The bundle&apos;s signature does not match: the file was changed after export, or it was made with another shop&apos;s key.</source>
        <translation>Підпис пакета не збігається: файл змінили після вивантаження або його зроблено з ключем іншого магазину.</translation>
    </message>
    <message>
        <source>{path} is a folder, not a bundle file: give the bundle file in it (its name ends in .ltb).</source>
        <translation>{path} — це папка, а не файл пакета: вкажіть файл пакета в ній (його назва закінчується на .ltb).</translation>
    </message>
    <message>
        <source>The bundle file {path} cannot be read: {reason}.</source>
        <translation>Не вдається прочитати файл пакета {path}: {reason}.</translation>
    </message>
    <message>
        <source>The bundle has format {found}, not {expected}.</source>
        <translation>Пакет має формат {found}, а потрібен {expected}.</translation>
    </message>
    <message>
        <source>The bundle&apos;s manifest is not in the expected format.</source>
        <translation>Опис пакета має неочікуваний формат.</translation>
    </message>
    <message>
        <source>The bundle comes from another shop; it cannot be imported here.</source>
        <translation>Пакет з іншого магазину; завантажити його тут не можна.</translation>
    </message>
    <message>
        <source>The bundle was made by a newer version of the program (journal schema {schema}); update this till first.</source>
        <translation>Пакет зроблено новішою версією програми (схема журналу {schema}); спершу оновіть цю касу.</translation>
    </message>
    <message>
        <source>The bundle mixes events of different tills.</source>
        <translation>У пакеті змішано події різних кас.</translation>
    </message>
    <message>
        <source>The bundle&apos;s events are out of order: expected number {expected}, found {found}.</source>
        <translation>Події пакета йдуть не по черзі: очікувався номер {expected}, знайдено {found}.</translation>
    </message>
    <message>
        <source>The bundle holds event {event} twice.</source>
        <translation>Подія {event} трапляється в пакеті двічі.</translation>
    </message>
    <message>
        <source>The bundle should hold {count} events but holds more.</source>
        <translation>Подій у пакеті має бути {count}, а їх більше.</translation>
    </message>
    <message>
        <source>The bundle should hold {count} events but holds {found}.</source>
        <translation>Подій у пакеті має бути {count}, а в ньому {found}.</translation>
    </message>
    <message>
        <source>The bundle&apos;s last event is not the one its manifest names.</source>
        <translation>Остання подія пакета не та, що вказана в його описі.</translation>
    </message>
    <message>
        <source>Another till&apos;s events need a newer version of the program (journal schema {schema}); update this till first. Nothing was changed.</source>
        <translation>Події іншої каси потребують новішої версії програми (схема журналу {schema}); спочатку оновіть цю касу. Нічого не змінено.</translation>
    </message>
    <message>
        <source>The number of sales to list must be between 0 and {most}.</source>
        <translation>Кількість продажів у списку має бути від 0 до {most}.</translation>
    </message>
    <message>
        <source>There is no period of the same length before {start} to compare with; choose a later or shorter period.</source>
        <translation>Перед {start} немає періоду такої ж довжини для порівняння; виберіть пізніший або коротший період.</translation>
    </message>
    <message>
        <source>the file or its folder does not exist</source>
        <translation>файл або його папка не існує</translation>
    </message>
    <message>
        <source>there is no room left on the disk</source>
        <translation>на диску не залишилося місця</translation>
    </message>
    <message>
        <source>access is denied</source>
        <translation>доступ заборонено</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>диск доступний лише для читання</translation>
    </message>
    <message>
        <source>it is a folder, not a file</source>
        <translation>це папка, а не файл</translation>
    </message>
    <message>
        <source>part of the path is a file, not a folder</source>
        <translation>частина шляху — файл, а не папка</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}.</source>
        <translation>Не вдалося записати {path}: {reason}.</translation>
    </message>
    <message>
        <source>Cannot read {path}: {reason}.</source>
        <translation>Не вдалося прочитати {path}: {reason}.</translation>
    </message>
    <message>
        <source>The database {path} is damaged or is not a loyalty terminal database; put a backup back with “loyalty-terminal restore BACKUP-FILE”.</source>
        <translation>База даних {path} пошкоджена або не є базою термінала лояльності; відновіть резервну копію командою «loyalty-terminal restore ФАЙЛ-КОПІЇ».</translation>
    </message>
    <message>
        <source>There is no folder {folder} for the database; check the path.</source>
        <translation>Папки {folder} для бази даних немає; перевірте шлях.</translation>
    </message>
</context>
<context>
    <name>Feedback</name>
    <message>
        <source>Complaint</source>
        <translation>Скарга</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>Пропозиція</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>Подяка</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <source>Customer feedback</source>
        <translation>Відгуки клієнтів</translation>
    </message>
    <message>
        <source>Feedback from {name}</source>
        <translation>Відгук клієнта {name}</translation>
    </message>
    <message>
        <source>Feedback without a customer</source>
        <translation>Відгук без прив’язки до клієнта</translation>
    </message>
    <message>
        <source>What did the customer say?</source>
        <translation>Що сказав клієнт?</translation>
    </message>
</context>
<context>
    <name>FeedbackScreen</name>
    <message>
        <source>Open</source>
        <translation>Відкриті</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Вирішені</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Усі</translation>
    </message>
    <message>
        <source>Record feedback…</source>
        <translation>Записати відгук…</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>Вирішити…</translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation>Зберегти в CSV…</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Клієнт</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>What was said</source>
        <translation>Що сказано</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Рішення</translation>
    </message>
    <message>
        <source>Open</source>
        <comment>status of one feedback item</comment>
        <translation>Відкритий</translation>
    </message>
    <message>
        <source>Resolved</source>
        <comment>status of one feedback item</comment>
        <translation>Вирішений</translation>
    </message>
    <message>
        <source>(no customer)</source>
        <translation>(без клієнта)</translation>
    </message>
    <message>
        <source>Choose an item in the list first.</source>
        <translation>Спершу виберіть запис у списку.</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Вирішити</translation>
    </message>
    <message>
        <source>How was it resolved?</source>
        <translation>Як вирішено питання?</translation>
    </message>
    <message>
        <source>Resolved.</source>
        <translation>Вирішено.</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <source>Welcome</source>
        <translation>Ласкаво просимо</translation>
    </message>
    <message>
        <source>Shop details</source>
        <translation>Дані магазину</translation>
    </message>
    <message>
        <source>Set up this till</source>
        <translation>Налаштування каси</translation>
    </message>
    <message>
        <source>A few questions, once. You can change the shop name later.</source>
        <translation>Кілька запитань, один раз. Назву магазину можна змінити пізніше.</translation>
    </message>
    <message>
        <source>e.g. Kava &amp; Co, Main Street</source>
        <translation>напр. Кава і Ко, вул. Головна</translation>
    </message>
    <message>
        <source>As the computer is set</source>
        <translation>Як налаштовано на комп&apos;ютері</translation>
    </message>
    <message>
        <source>Shop &amp;name</source>
        <translation>&amp;Назва магазину</translation>
    </message>
    <message>
        <source>&amp;Currency</source>
        <translation>&amp;Валюта</translation>
    </message>
    <message>
        <source>&amp;Till number</source>
        <translation>&amp;Номер каси</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Мова</translation>
    </message>
    <message>
        <source>The till number is part of every card number issued here: give each till of the shop its own number.</source>
        <translation>Номер каси входить до кожного номера картки, виданої тут: дайте кожній касі магазину свій номер.</translation>
    </message>
    <message>
        <source>The till number is fixed: cards were already issued with it.</source>
        <translation>Номер каси вже не змінити: з ним видано картки.</translation>
    </message>
    <message>
        <source>Join a shop…</source>
        <translation>Підключитися до магазину…</translation>
    </message>
    <message>
        <source>A till for a shop that already has one: open the pairing file made on that shop&apos;s till (Owner → Sync). The shop&apos;s name, currency and this till&apos;s number come from the file.</source>
        <translation>Каса для магазину, у якого вже є каса: відкрийте файл підключення, створений на касі цього магазину (Власник → Синхронізація). Назва магазину, валюта й номер цієї каси беруться з файлу.</translation>
    </message>
    <message>
        <source>Cancel  [Esc]</source>
        <translation>Скасувати  [Esc]</translation>
    </message>
    <message>
        <source>Start  [Enter]</source>
        <translation>Почати  [Enter]</translation>
    </message>
    <message>
        <source>Save  [Enter]</source>
        <translation>Зберегти  [Enter]</translation>
    </message>
    <message>
        <source>Pairing file</source>
        <translation>Файл підключення</translation>
    </message>
    <message>
        <source>Pairing files (%1);;All files (*)</source>
        <translation>Файли підключення (%1);;Усі файли (*)</translation>
    </message>
    <message>
        <source>Joined the shop</source>
        <translation>Касу підключено до магазину</translation>
    </message>
    <message>
        <source>This is now till %1 of %2. Import the other tills&apos; bundles or sync with the folder or server (Owner → Sync) to get the customers.</source>
        <translation>Тепер це каса %1 магазину «%2». Завантажте пакети інших кас або синхронізуйтеся через папку чи сервер (Власник → Синхронізація), щоб отримати покупців.</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import customers from a spreadsheet</source>
        <translation>Імпорт клієнтів з таблиці</translation>
    </message>
    <message>
        <source>Bring in the customers you already have: names, phones, card numbers, points balances, birthdays and e-mails. The file is a CSV (any separator; UTF-8 or Windows-1251) or an Excel .xlsx sheet whose first row holds the column names. Nothing is written until you have seen every row that would be refused.</source>
        <translation>Перенесіть клієнтів, які у вас уже є: імена, телефони, номери карток, баланси балів, дні народження та e-mail. Файл — CSV (будь-який роздільник; UTF-8 або Windows-1251) або аркуш Excel .xlsx, у першому рядку якого назви стовпців. Нічого не записується, доки ви не побачите всі рядки, які буде відхилено.</translation>
    </message>
    <message>
        <source>Choose a file…</source>
        <translation>Вибрати файл…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Експорт</translation>
    </message>
    <message>
        <source>Save every customer, with consent status, for your own records.</source>
        <translation>Зберегти всіх клієнтів зі статусом згоди для власних записів.</translation>
    </message>
    <message>
        <source>Export customers…</source>
        <translation>Експортувати клієнтів…</translation>
    </message>
    <message>
        <source>Which column holds what</source>
        <translation>Який стовпець що містить</translation>
    </message>
    <message>
        <source>The first rows of the file:</source>
        <translation>Перші рядки файлу:</translation>
    </message>
    <message>
        <source>Another file</source>
        <translation>Інший файл</translation>
    </message>
    <message>
        <source>Check every row</source>
        <translation>Перевірити всі рядки</translation>
    </message>
    <message>
        <source>Rows that would be refused, and why:</source>
        <translation>Рядки, які буде відхилено, і чому:</translation>
    </message>
    <message>
        <source>Skip refused rows and import the good ones</source>
        <translation>Пропустити відхилені рядки та імпортувати добрі</translation>
    </message>
    <message>
        <source>Back to the columns</source>
        <translation>Назад до стовпців</translation>
    </message>
    <message>
        <source>Name (required)</source>
        <translation>Ім&apos;я (обов&apos;язково)</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Card number</source>
        <translation>Номер картки</translation>
    </message>
    <message>
        <source>Points balance</source>
        <translation>Баланс балів</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День народження</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Ел. пошта</translation>
    </message>
    <message>
        <source>Agrees to messages</source>
        <translation>Згода на повідомлення</translation>
    </message>
    <message>
        <source>1. File</source>
        <translation>1. Файл</translation>
    </message>
    <message>
        <source>2. Columns</source>
        <translation>2. Стовпці</translation>
    </message>
    <message>
        <source>3. Check and import</source>
        <translation>3. Перевірка та імпорт</translation>
    </message>
    <message>
        <source>Choose the spreadsheet</source>
        <translation>Виберіть таблицю</translation>
    </message>
    <message>
        <source>Spreadsheets (*.csv *.txt *.xlsx)</source>
        <translation>Таблиці (*.csv *.txt *.xlsx)</translation>
    </message>
    <message>
        <source>— not in the file —</source>
        <translation>— немає у файлі —</translation>
    </message>
    <message>
        <source>Check the columns, then press “Check every row”.</source>
        <translation>Перевірте стовпці, потім натисніть «Перевірити всі рядки».</translation>
    </message>
    <message>
        <source>Choose the column that holds the customers&apos; names.</source>
        <translation>Виберіть стовпець з іменами клієнтів.</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>Перевіряємо всі рядки…</translation>
    </message>
    <message>
        <source>Rows that can be imported: {good} of {rows}. Rows that would be refused: {refused}. Opening balances in points: {points}. New card numbers: {cards}.</source>
        <translation>Рядків можна імпортувати: {good} з {rows}. Буде відхилено рядків: {refused}. Початкові баланси в балах: {points}. Нових номерів карток: {cards}.</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Рядок</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Чому</translation>
    </message>
    <message>
        <source>The row</source>
        <translation>Рядок файлу</translation>
    </message>
    <message>
        <source>Fix the refused rows in the file and check again, or skip them.</source>
        <translation>Виправте відхилені рядки у файлі й перевірте знову або пропустіть їх.</translation>
    </message>
    <message>
        <source>Every row is fine.</source>
        <translation>Усі рядки в порядку.</translation>
    </message>
    <message>
        <source>Importing… (one transaction: all of it or nothing)</source>
        <translation>Імпортуємо… (однією транзакцією: усе або нічого)</translation>
    </message>
    <message>
        <source>The import stopped on an unexpected error; nothing was written. ({e})</source>
        <translation>Імпорт зупинено неочікуваною помилкою; нічого не записано. ({e})</translation>
    </message>
    <message>
        <source>Export customers</source>
        <translation>Експорт клієнтів</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Could not write {path}: {e}</source>
        <translation>Не вдалося записати {path}: {e}</translation>
    </message>
    <message numerus="yes">
        <source>Import %n customer(s)</source>
        <translation>
            <numerusform>Імпортувати %n клієнта</numerusform>
            <numerusform>Імпортувати %n клієнтів</numerusform>
            <numerusform>Імпортувати %n клієнтів</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{file}: %n row(s), {columns}</source>
        <translation>
            <numerusform>{file}: %n рядок, {columns}</numerusform>
            <numerusform>{file}: %n рядки, {columns}</numerusform>
            <numerusform>{file}: %n рядків, {columns}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n column(s)</source>
        <translation>
            <numerusform>%n стовпець</numerusform>
            <numerusform>%n стовпці</numerusform>
            <numerusform>%n стовпців</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n row(s)</source>
        <translation>
            <numerusform>{done} з %n рядка</numerusform>
            <numerusform>{done} з %n рядків</numerusform>
            <numerusform>{done} з %n рядків</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n customer(s) from {file} (refused rows skipped: {skipped}; opening points: {points}).</source>
        <translation>
            <numerusform>Імпортовано %n клієнта з {file} (пропущено відхилених рядків: {skipped}; початкових балів: {points}).</numerusform>
            <numerusform>Імпортовано %n клієнтів з {file} (пропущено відхилених рядків: {skipped}; початкових балів: {points}).</numerusform>
            <numerusform>Імпортовано %n клієнтів з {file} (пропущено відхилених рядків: {skipped}; початкових балів: {points}).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n customer(s) ({consent} agreed to messages) to {path}.</source>
        <translation>
            <numerusform>Експортовано %n клієнта (згодні на повідомлення: {consent}) до {path}.</numerusform>
            <numerusform>Експортовано %n клієнтів (згодні на повідомлення: {consent}) до {path}.</numerusform>
            <numerusform>Експортовано %n клієнтів (згодні на повідомлення: {consent}) до {path}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LedgerReasons</name>
    <message>
        <source>Welcome bonus</source>
        <translation>Вітальний бонус</translation>
    </message>
    <message>
        <source>Birthday bonus</source>
        <translation>Бонус на день народження</translation>
    </message>
    <message>
        <source>Referral bonus (first purchase)</source>
        <translation>Реферальний бонус (перша покупка)</translation>
    </message>
    <message>
        <source>Visit milestone bonus</source>
        <translation>Бонус за візити</translation>
    </message>
    <message>
        <source>Referral bonus</source>
        <translation>Реферальний бонус</translation>
    </message>
    <message>
        <source>Earned on a purchase</source>
        <translation>Нараховано за покупку</translation>
    </message>
    <message>
        <source>Spent on a purchase</source>
        <translation>Списано на покупку</translation>
    </message>
    <message>
        <source>Milestone bonus</source>
        <translation>Бонус за візити</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Згоріли</translation>
    </message>
    <message>
        <source>Given back by a refund</source>
        <translation>Повернуто під час повернення</translation>
    </message>
    <message>
        <source>Taken back by a refund</source>
        <translation>Списано під час повернення</translation>
    </message>
    <message>
        <source>Bonus taken back by a refund</source>
        <translation>Бонус списано під час повернення</translation>
    </message>
    <message>
        <source>Manual adjustment</source>
        <translation>Ручне коригування</translation>
    </message>
    <message>
        <source>Opening balance</source>
        <translation>Початковий баланс</translation>
    </message>
    <message>
        <source>Referred {name}</source>
        <translation>Запросив(ла): {name}</translation>
    </message>
    <message>
        <source>Expired on {day}</source>
        <translation>Термін минув {day}</translation>
    </message>
    <message>
        <source>{bonus} taken back: the sale was refunded in full</source>
        <translation>{bonus} списано: покупку повернуто повністю</translation>
    </message>
    <message>
        <source>Opening balance imported from {file}</source>
        <translation>Початковий баланс завантажено з {file}</translation>
    </message>
</context>
<context>
    <name>Lists</name>
    <message>
        <source>When</source>
        <translation>Коли</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сума</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Сплачено</translation>
    </message>
    <message>
        <source>Points used</source>
        <translation>Списано балів</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Нараховано балів</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Повернуто</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Касир</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Що</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Бали</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Баланс</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Працівник</translation>
    </message>
    <message>
        <source>Money back</source>
        <translation>Гроші до повернення</translation>
    </message>
    <message>
        <source>Points given back</source>
        <translation>Балів повернуто</translation>
    </message>
    <message>
        <source>Points taken back</source>
        <translation>Балів списано назад</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Ім&apos;я</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Картка</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Рівень</translation>
    </message>
    <message>
        <source>no active card</source>
        <translation>немає активної картки</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Loyalty terminal</source>
        <translation>Термінал лояльності</translation>
    </message>
    <message>
        <source>Shop details</source>
        <translation>Дані магазину</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Власник</translation>
    </message>
    <message>
        <source>Owner: {screen}</source>
        <translation>Власник: {screen}</translation>
    </message>
    <message>
        <source>Till %1</source>
        <translation>Каса %1</translation>
    </message>
    <message>
        <source>{shop} — {till} — Loyalty terminal</source>
        <translation>{shop} — {till} — Термінал лояльності</translation>
    </message>
    <message>
        <source>{shop} · {till}</source>
        <translation>{shop} · {till}</translation>
    </message>
    <message>
        <source>Database: {path}</source>
        <translation>База даних: {path}</translation>
    </message>
    <message>
        <source>Clock set back to {now}: set the date and time</source>
        <translation>Збився годинник: {now} — встановіть дату й час</translation>
    </message>
    <message>
        <source>This till&apos;s last entry was made at {last}. Sales, refunds and points take their dates from this computer&apos;s clock: points earned while it is wrong can expire at once when it is put right, and the day&apos;s figures miss the sales.</source>
        <translation>Останній запис цієї каси зроблено {last}. Продажі, повернення й бали отримують дату з годинника цього комп&apos;ютера: бали, нараховані за неправильного годинника, можуть згоріти одразу, щойно годинник виправлять, а підсумки дня не врахують ці продажі.</translation>
    </message>
    <message>
        <source>Last backup: {when}</source>
        <translation>Остання копія: {when}</translation>
    </message>
    <message>
        <source> (overdue: make one now)</source>
        <translation> (прострочено: створіть копію зараз)</translation>
    </message>
    <message>
        <source>Waiting for sync: {n}</source>
        <translation>Очікують синхронізації: {n}</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>That is a product barcode, not one of our loyalty cards.</source>
        <translation>Це штрихкод товару, а не наша картка лояльності.</translation>
    </message>
    <message>
        <source>No customer has this card.</source>
        <translation>Жоден клієнт не має цієї картки.</translation>
    </message>
    <message>
        <source>No customer found. Check the number or try part of the name.</source>
        <translation>Клієнта не знайдено. Перевірте номер або спробуйте частину імені.</translation>
    </message>
    <message>
        <source>The database is busy (another program is writing). Retrying…</source>
        <translation>База даних зайнята (пише інша програма). Повторюємо…</translation>
    </message>
    <message>
        <source>The sale could not be saved: the disk is full or read-only. Nothing was charged. Tell the owner; the till keeps working for lookups.</source>
        <translation>Продаж не вдалося зберегти: диск заповнений або доступний лише для читання. Нічого не списано. Повідомте власника; каса далі працює для пошуку.</translation>
    </message>
    <message>
        <source>The figures changed since you read them out. Check the new figures and press Enter again.</source>
        <translation>Цифри змінилися відтоді, як ви їх озвучили. Перевірте нові цифри й знову натисніть Enter.</translation>
    </message>
    <message>
        <source>Scan or type a card number.</source>
        <translation>Відскануйте або введіть номер картки.</translation>
    </message>
    <message>
        <source>The scan was not readable. Scan the card again.</source>
        <translation>Скан не читається. Відскануйте картку ще раз.</translation>
    </message>
    <message>
        <source>Wrong check digit: the card was misread or mistyped. Scan it again.</source>
        <translation>Неправильна контрольна цифра: картку зчитано або набрано з помилкою. Відскануйте її знову.</translation>
    </message>
    <message>
        <source>Card {card} is blocked. Do not accept it; the customer can ask at the desk.</source>
        <translation>Картку {card} заблоковано. Не приймайте її; клієнт може звернутися до стійки клієнтів.</translation>
    </message>
    <message>
        <source>{name} already has this phone number.</source>
        <translation>У клієнта {name} уже є цей номер телефону.</translation>
    </message>
    <message>
        <source>That is not a card number: it has {n} digits, a card has {card}.</source>
        <translation>Це не номер картки: цифр у ньому — {n}, а в номері картки — {card}.</translation>
    </message>
    <message>
        <source>Card {card} is new and not given to anyone yet. Press F4 to register a customer with it.</source>
        <translation>Картка {card} нова й ще нікому не видана. Натисніть F4, щоб зареєструвати клієнта з нею.</translation>
    </message>
    <message>
        <source>Card {card} is not known here. Check the number, or press F4 to register a customer with it.</source>
        <translation>Картка {card} тут невідома. Перевірте номер або натисніть F4, щоб зареєструвати клієнта з нею.</translation>
    </message>
    <message>
        <source>Card {card} was replaced by a new card. Ask the customer for the new one, or look them up by phone.</source>
        <translation>Картку {card} замінено новою. Попросіть у клієнта нову картку або знайдіть його за телефоном.</translation>
    </message>
</context>
<context>
    <name>NpsPrompt</name>
    <message>
        <source>Ask: how likely are you to recommend us, 0 to 10?</source>
        <translation>Запитайте: порекомендуєте нас? Оцінка 0–10</translation>
    </message>
    <message>
        <source>skip</source>
        <translation>пропустити</translation>
    </message>
</context>
<context>
    <name>Outcomes</name>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n клієнт</numerusform>
            <numerusform>%n клієнти</numerusform>
            <numerusform>%n клієнтів</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n продаж</numerusform>
            <numerusform>%n продажі</numerusform>
            <numerusform>%n продажів</numerusform>
        </translation>
    </message>
    <message>
        <source>Backup made and verified: {customers}, {sales}.</source>
        <translation>Резервну копію створено й перевірено: {customers}, {sales}.</translation>
    </message>
    <message>
        <source>The mirror folder {folder} is not available (unplugged?).</source>
        <translation>Тека для другої копії {folder} недоступна (флешку від&apos;єднано?).</translation>
    </message>
    <message>
        <source>The copy to {folder} failed: {reason}.</source>
        <translation>Не вдалося скопіювати в {folder}: {reason}.</translation>
    </message>
    <message>
        <source>Restored {customers} and {sales} from {source}. The data as it was is kept in {aside}.</source>
        <translation>Відновлено з {source}: {customers}, {sales}. Попередні дані збережено в {aside}.</translation>
    </message>
    <message>
        <source>The slip was not printed: {reason}</source>
        <translation>Чек лояльності не надруковано: {reason}</translation>
    </message>
    <message>
        <source>The slip printer ({address}) is out of paper. Put in a new roll and print again.</source>
        <translation>У принтері чеків ({address}) закінчився папір. Вставте новий рулон і надрукуйте знову.</translation>
    </message>
    <message>
        <source>The slip printer ({address}) does not answer. Check its cable and power, then print the slip again.</source>
        <translation>Принтер чеків ({address}) не відповідає. Перевірте кабель і живлення, потім надрукуйте чек знову.</translation>
    </message>
    <message>
        <source>The slip printer ({address}) is not connected or switched off. Check its cable and power, then print the slip again.</source>
        <translation>Принтер чеків ({address}) не під&apos;єднано або вимкнено. Перевірте кабель і живлення, потім надрукуйте чек знову.</translation>
    </message>
    <message>
        <source>The slip printer ({address}) could not print. Check its cable and power, then print the slip again.</source>
        <translation>Принтер чеків ({address}) не зміг надрукувати. Перевірте кабель і живлення, потім надрукуйте чек знову.</translation>
    </message>
    <message>
        <source>No slip printer is set up: enter its address in Devices.</source>
        <translation>Принтер чеків не налаштовано: вкажіть його адресу в розділі «Пристрої».</translation>
    </message>
    <message>
        <source>Slip printed.</source>
        <translation>Чек надруковано.</translation>
    </message>
    <message>
        <source>customer {customer}: cached balance {cached} but the ledger sums to {total}</source>
        <translation>клієнт {customer}: збережений баланс {cached}, а за історією балів {total}</translation>
    </message>
    <message>
        <source>customer {customer}: cached lifetime paid {cached} but sales less refunds make {total}</source>
        <translation>клієнт {customer}: збережена сума покупок {cached}, а продажі за вирахуванням повернень дають {total}</translation>
    </message>
    <message>
        <source>customer {customer}: cached visits {cached} but there are {total} sales</source>
        <translation>клієнт {customer}: збережено візитів {cached}, а продажів {total}</translation>
    </message>
    <message>
        <source>points lot {lot}: remainder {cached} but its grant and movements make {total}</source>
        <translation>партія балів {lot}: залишок {cached}, а нарахування й рухи дають {total}</translation>
    </message>
    <message>
        <source>points lot {lot}: remainder {cached} is below zero</source>
        <translation>партія балів {lot}: залишок {cached} нижче нуля</translation>
    </message>
    <message>
        <source>customer {customer}: live lots hold {live} points but the balance is {balance}</source>
        <translation>клієнт {customer}: у чинних партіях {live} балів, а баланс {balance}</translation>
    </message>
    <message>
        <source>sale {sale}: refunded {cached} in its cache but its refunds add up to {total}</source>
        <translation>продаж {sale}: збережено повернено {cached}, а повернення дають {total}</translation>
    </message>
    <message>
        <source>sale {sale}: refunded {refunded}, more than its amount {amount}</source>
        <translation>продаж {sale}: повернено {refunded}, більше за його суму {amount}</translation>
    </message>
    <message>
        <source>journal of till {till}: {events} events but sequence numbers run from {first} to {last}</source>
        <translation>журнал каси {till}: подій {events}, а номери йдуть від {first} до {last}</translation>
    </message>
    <message>
        <source>report figures {table}: the row for {key} differs from the facts it counts</source>
        <translation>показники звіту {table}: рядок {key} розходиться з фактами, які він рахує</translation>
    </message>
    <message>
        <source>SQLite integrity: {line}</source>
        <translation>Цілісність SQLite: {line}</translation>
    </message>
    <message>
        <source>broken reference in {table} row {row} to {parent}</source>
        <translation>зламане посилання в {table}, рядок {row}, на {parent}</translation>
    </message>
    <message>
        <source>… and more of the same</source>
        <translation>… і ще такі самі</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>Owner PIN</source>
        <translation>PIN власника</translation>
    </message>
    <message>
        <source>No owner PIN is set yet. Choose one (4 to 8 digits) and type it twice.</source>
        <translation>PIN власника ще не задано. Виберіть його (від 4 до 8 цифр) і введіть двічі.</translation>
    </message>
    <message>
        <source>Owner screens are locked. Type the owner PIN.</source>
        <translation>Екрани власника заблоковано. Введіть PIN власника.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>The same PIN again</source>
        <translation>Той самий PIN ще раз</translation>
    </message>
    <message>
        <source>The two PINs differ. Type them again.</source>
        <translation>PIN-коди не збігаються. Введіть їх знову.</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Власник</translation>
    </message>
    <message>
        <source>Wrong PIN. Tries left before a 5-minute lock: %1.</source>
        <translation>Неправильний PIN. Спроб до блокування на 5 хвилин: %1.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again at %1.</source>
        <translation>Забагато неправильних PIN. Спробуйте знову о %1.</translation>
    </message>
</context>
<context>
    <name>Points</name>
    <message numerus="yes">
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n бал</numerusform>
            <numerusform>%n бали</numerusform>
            <numerusform>%n балів</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PrivacyPdf</name>
    <message>
        <source>in use</source>
        <translation>діє</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>заблокована</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>замінена</translation>
    </message>
    <message>
        <source>not given out</source>
        <translation>не видана</translation>
    </message>
    <message>
        <source>complaint</source>
        <translation>скарга</translation>
    </message>
    <message>
        <source>suggestion</source>
        <translation>пропозиція</translation>
    </message>
    <message>
        <source>praise</source>
        <translation>подяка</translation>
    </message>
    <message>
        <source>open</source>
        <translation>відкрито</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>вирішено</translation>
    </message>
    <message>
        <source>at the till</source>
        <translation>на касі</translation>
    </message>
    <message>
        <source>recorded by the shop</source>
        <translation>записано магазином</translation>
    </message>
    <message>
        <source>at the desk</source>
        <translation>на стійці обслуговування</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Ім&apos;я</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День народження</translation>
    </message>
    <message>
        <source>Agrees to offers</source>
        <translation>Згода на пропозиції</translation>
    </message>
    <message>
        <source>Answer given</source>
        <translation>Коли надано відповідь</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Points balance</source>
        <translation>Баланс балів</translation>
    </message>
    <message>
        <source>Paid in total</source>
        <translation>Сплачено всього</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Візити</translation>
    </message>
    <message>
        <source>Card number</source>
        <translation>Номер картки</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Стан</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Видана</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сума</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Знижка</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Сплачено</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Нараховано балів</translation>
    </message>
    <message>
        <source>Points spent</source>
        <translation>Списано балів</translation>
    </message>
    <message>
        <source>Money back</source>
        <translation>Повернуто грошей</translation>
    </message>
    <message>
        <source>Points taken back</source>
        <translation>Балів списано назад</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Що</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Бали</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Given</source>
        <translation>Нараховано</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Залишилось</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Згорають</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Оцінка</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Коли</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Де</translation>
    </message>
    <message>
        <source>{shop}: the data we store about you</source>
        <translation>{shop}: які дані про вас ми зберігаємо</translation>
    </message>
    <message>
        <source>Exported {when}. Amounts in {currency}.</source>
        <translation>Вивантажено {when}. Суми в {currency}.</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Профіль</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>Картки</translation>
    </message>
    <message>
        <source>Purchases</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <source>Points history</source>
        <translation>Історія балів</translation>
    </message>
    <message>
        <source>Points and their expiry</source>
        <translation>Бали та строки їх дії</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>Відгуки</translation>
    </message>
    <message>
        <source>Recommendation answers</source>
        <translation>Відповіді про рекомендацію</translation>
    </message>
    <message>
        <source>Consent to offers</source>
        <translation>Згода на пропозиції</translation>
    </message>
    <message>
        <source>Customer data export</source>
        <translation>Вивантаження даних клієнта</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>так</translation>
    </message>
    <message>
        <source>no</source>
        <translation>ні</translation>
    </message>
    <message>
        <source>Customer since</source>
        <translation>Клієнт з</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Немає.</translation>
    </message>
    <message>
        <source>Your profile: name, phone, e-mail and birthday as you gave them, whether you agreed to offers, and the totals we keep (points balance, amount paid, visits).</source>
        <translation>Ваш профіль: ім&apos;я, телефон, e-mail і день народження так, як ви їх повідомили, чи погодилися ви отримувати пропозиції, і підсумки, які ми ведемо (баланс балів, сума оплат, візити).</translation>
    </message>
    <message>
        <source>Your loyalty card numbers and their status.</source>
        <translation>Номери ваших карток лояльності та їхній стан.</translation>
    </message>
    <message>
        <source>Every purchase made with your card: amount, discount, points earned and spent.</source>
        <translation>Кожна покупка з вашою карткою: сума, знижка, нараховані й списані бали.</translation>
    </message>
    <message>
        <source>Returns of those purchases.</source>
        <translation>Повернення цих покупок.</translation>
    </message>
    <message>
        <source>Every change to your points, with its reason.</source>
        <translation>Кожна зміна ваших балів із причиною.</translation>
    </message>
    <message>
        <source>Points in groups as they were given, with their expiry dates.</source>
        <translation>Бали групами, як їх нараховували, зі строками дії.</translation>
    </message>
    <message>
        <source>Comments and complaints you left with us.</source>
        <translation>Ваші відгуки та скарги.</translation>
    </message>
    <message>
        <source>Your answers to &apos;would you recommend us&apos; (0-10).</source>
        <translation>Ваші відповіді на запитання «чи порекомендуєте ви нас» (0–10).</translation>
    </message>
    <message>
        <source>Each time you agreed to or declined offers, with the date.</source>
        <translation>Кожен раз, коли ви погоджувалися або відмовлялися отримувати пропозиції, з датою.</translation>
    </message>
</context>
<context>
    <name>ProgramChanges</name>
    <message>
        <source>{field}: {old} → {new}</source>
        <translation>{field}: {old} → {new}</translation>
    </message>
    <message>
        <source>Program kind</source>
        <translation>Вид програми</translation>
    </message>
    <message>
        <source>Value of one point</source>
        <translation>Вартість одного бала</translation>
    </message>
    <message>
        <source>Points may pay up to</source>
        <translation>Балами можна сплатити до</translation>
    </message>
    <message>
        <source>Minimum balance to spend points</source>
        <translation>Мінімальний баланс для списання балів</translation>
    </message>
    <message>
        <source>Minimum check to earn points</source>
        <translation>Мінімальний чек для нарахування балів</translation>
    </message>
    <message>
        <source>Earn on the part paid with points</source>
        <translation>Нараховувати на частину, сплачену балами</translation>
    </message>
    <message>
        <source>Points expire after (days)</source>
        <translation>Бали згорають через (днів)</translation>
    </message>
    <message>
        <source>Welcome bonus</source>
        <translation>Вітальний бонус</translation>
    </message>
    <message>
        <source>Birthday bonus</source>
        <translation>Бонус на день народження</translation>
    </message>
    <message>
        <source>Birthday window (days either side)</source>
        <translation>Вікно дня народження (± днів)</translation>
    </message>
    <message>
        <source>Referral bonus for the referrer</source>
        <translation>Реферальний бонус тому, хто запросив</translation>
    </message>
    <message>
        <source>Referral bonus for the newcomer</source>
        <translation>Реферальний бонус новачкові</translation>
    </message>
    <message>
        <source>Minimum first check for the referral bonus</source>
        <translation>Мінімальний перший чек для реферального бонусу</translation>
    </message>
    <message>
        <source>Visit milestones</source>
        <translation>Бонуси за візити</translation>
    </message>
    <message>
        <source>Promotions</source>
        <translation>Акції</translation>
    </message>
    <message>
        <source>When promotions overlap</source>
        <translation>Коли акції перетинаються</translation>
    </message>
    <message>
        <source>Purchase categories</source>
        <translation>Категорії покупок</translation>
    </message>
    <message>
        <source>Extras</source>
        <translation>Додатково</translation>
    </message>
    <message>
        <source>bonus</source>
        <translation>бали (кешбек)</translation>
    </message>
    <message>
        <source>hybrid</source>
        <translation>знижка й бали</translation>
    </message>
    <message>
        <source>best</source>
        <translation>діє найвигідніша</translation>
    </message>
    <message>
        <source>sum</source>
        <translation>додаються</translation>
    </message>
    <message>
        <source>discount</source>
        <translation>знижка</translation>
    </message>
    <message>
        <source>{rate} %</source>
        <translation>{rate} %</translation>
    </message>
    <message>
        <source>never</source>
        <translation>ніколи</translation>
    </message>
    <message>
        <source>visit {visit}: +{points}</source>
        <translation>візит {visit}: +{points}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>немає</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>так</translation>
    </message>
    <message>
        <source>no</source>
        <translation>ні</translation>
    </message>
    <message>
        <source>New tier {name}: from {threshold}, {earn} points, {discount} discount</source>
        <translation>Новий рівень {name}: від {threshold}, бали {earn}, знижка {discount}</translation>
    </message>
    <message>
        <source>{name} starts at {old} → {new}</source>
        <translation>{name}: поріг {old} → {new}</translation>
    </message>
    <message>
        <source>{name} points {old} → {new}</source>
        <translation>{name}: бали {old} → {new}</translation>
    </message>
    <message>
        <source>{name} discount {old} → {new}</source>
        <translation>{name}: знижка {old} → {new}</translation>
    </message>
    <message>
        <source>Tier {name} removed</source>
        <translation>Рівень {name} видалено</translation>
    </message>
</context>
<context>
    <name>ProgramForm</name>
    <message>
        <source>Promotion</source>
        <translation>Акція</translation>
    </message>
    <message>
        <source>Hours are written like 16:00–18:00.</source>
        <translation>Години записуються так: 16:00–18:00.</translation>
    </message>
    <message>
        <source>Dates are written like 01.12.2026 – 31.12.2026.</source>
        <translation>Дати записуються так: 01.12.2026 – 31.12.2026.</translation>
    </message>
    <message>
        <source>“{date}” is not a date.</source>
        <translation>«{date}» — не дата.</translation>
    </message>
    <message>
        <source>{what}: at most 100 %.</source>
        <translation>{what}: не більше 100 %.</translation>
    </message>
    <message>
        <source>{what}: type a whole number.</source>
        <translation>{what}: введіть ціле число.</translation>
    </message>
    <message>
        <source>“{day}” is not a day of the week.</source>
        <translation>«{day}» — не день тижня.</translation>
    </message>
    <message>
        <source>{what}: “{text}” is not a percentage.</source>
        <translation>{what}: «{text}» — не відсоток.</translation>
    </message>
    <message>
        <source>“{time}” is not a time of day.</source>
        <translation>«{time}» — не час доби.</translation>
    </message>
    <message>
        <source>{what}: the multiplier is written like 2 or 1.5.</source>
        <translation>{what}: множник записується як 2 або 1,5.</translation>
    </message>
</context>
<context>
    <name>ProgramScreen</name>
    <message>
        <source>What customers get</source>
        <translation>Що отримують клієнти</translation>
    </message>
    <message>
        <source>Points (cash-back)</source>
        <translation>Бали (кешбек)</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Знижка</translation>
    </message>
    <message>
        <source>Discount and points</source>
        <translation>Знижка й бали</translation>
    </message>
    <message>
        <source>Tiers (by lifetime paid)</source>
        <translation>Рівні (за сумою всіх покупок)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Ім&apos;я</translation>
    </message>
    <message>
        <source>From (paid)</source>
        <translation>Від (сплачено)</translation>
    </message>
    <message>
        <source>Points %</source>
        <translation>Бали, %</translation>
    </message>
    <message>
        <source>Discount %</source>
        <translation>Знижка, %</translation>
    </message>
    <message>
        <source>Add tier</source>
        <translation>Додати рівень</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>Видалити вибране</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Бали</translation>
    </message>
    <message>
        <source>e.g. 1.00</source>
        <translation>напр. 1,00</translation>
    </message>
    <message>
        <source>empty: never</source>
        <translation>порожньо: ніколи</translation>
    </message>
    <message>
        <source>Earn on the part paid with points too</source>
        <translation>Нараховувати й на частину, сплачену балами</translation>
    </message>
    <message>
        <source>One point is worth</source>
        <translation>Один бал коштує</translation>
    </message>
    <message>
        <source>Points may pay up to, % of a check</source>
        <translation>Балами можна сплатити до, % чека</translation>
    </message>
    <message>
        <source>Minimum balance to spend points</source>
        <translation>Мінімальний баланс для списання</translation>
    </message>
    <message>
        <source>Minimum check to earn points</source>
        <translation>Мінімальний чек для нарахування</translation>
    </message>
    <message>
        <source>Points expire after, days</source>
        <translation>Бали згорають через, днів</translation>
    </message>
    <message>
        <source>Bonuses</source>
        <translation>Бонуси</translation>
    </message>
    <message>
        <source>Welcome, points</source>
        <translation>Вітальні, балів</translation>
    </message>
    <message>
        <source>Birthday, points</source>
        <translation>На день народження, балів</translation>
    </message>
    <message>
        <source>Birthday window, ± days</source>
        <translation>Вікно дня народження, ± днів</translation>
    </message>
    <message>
        <source>Referral: to the referrer</source>
        <translation>Реферал: тому, хто запросив</translation>
    </message>
    <message>
        <source>Referral: to the newcomer</source>
        <translation>Реферал: новачкові</translation>
    </message>
    <message>
        <source>Referral: minimum first check</source>
        <translation>Реферал: мінімальний перший чек</translation>
    </message>
    <message>
        <source>Promotions and categories</source>
        <translation>Акції та категорії</translation>
    </message>
    <message>
        <source>e.g. Coffee, Pastry (empty: none)</source>
        <translation>напр. Кава, Випічка (порожньо: немає)</translation>
    </message>
    <message>
        <source>Purchase categories</source>
        <translation>Категорії покупок</translation>
    </message>
    <message>
        <source>the most generous one applies</source>
        <translation>діє найвигідніша</translation>
    </message>
    <message>
        <source>they add up</source>
        <translation>додаються</translation>
    </message>
    <message>
        <source>When promotions overlap</source>
        <translation>Коли акції перетинаються</translation>
    </message>
    <message>
        <source>×</source>
        <translation>×</translation>
    </message>
    <message>
        <source>+ %</source>
        <translation>+ %</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Дні</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Години</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>Дати</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Категорії</translation>
    </message>
    <message>
        <source>× multiplies the tier&apos;s rate (2 = double points); + % adds to it. Days like Mon–Fri, hours like 16:00–18:00, dates like 01.12.2026 – 31.12.2026; empty means always.</source>
        <translation>× множить ставку рівня (2 = подвійні бали); + % додає до неї. Дні як Пн–Пт, години як 16:00–18:00, дати як 01.12.2026 – 31.12.2026; порожньо — завжди.</translation>
    </message>
    <message>
        <source>Add promotion</source>
        <translation>Додати акцію</translation>
    </message>
    <message>
        <source>Happy hour</source>
        <translation>Щаслива година</translation>
    </message>
    <message>
        <source>Worked example</source>
        <translation>Приклад розрахунку</translation>
    </message>
    <message>
        <source>pays the most with points (balance 500)</source>
        <translation>сплачує балами по максимуму (баланс 500)</translation>
    </message>
    <message>
        <source>A check of</source>
        <translation>Чек на</translation>
    </message>
    <message>
        <source>by a customer of</source>
        <translation>від клієнта рівня</translation>
    </message>
    <message>
        <source>Changes from the version in force</source>
        <translation>Зміни порівняно з чинною версією</translation>
    </message>
    <message>
        <source>Why (optional), e.g. Winter promotion</source>
        <translation>Чому (необов&apos;язково), напр. Зимова акція</translation>
    </message>
    <message>
        <source>Save as new version</source>
        <translation>Зберегти як нову версію</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>Скасувати зміни</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Експорт…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Імпорт…</translation>
    </message>
    <message>
        <source>Tier {n}</source>
        <translation>Рівень {n}</translation>
    </message>
    <message>
        <source>Point value</source>
        <translation>Вартість бала</translation>
    </message>
    <message>
        <source>Cap</source>
        <translation>Межа</translation>
    </message>
    <message>
        <source>Minimum balance</source>
        <translation>Мінімальний баланс</translation>
    </message>
    <message>
        <source>Minimum check</source>
        <translation>Мінімальний чек</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>Термін дії</translation>
    </message>
    <message>
        <source>Welcome bonus</source>
        <translation>Вітальний бонус</translation>
    </message>
    <message>
        <source>Birthday bonus</source>
        <translation>Бонус на день народження</translation>
    </message>
    <message>
        <source>Birthday window</source>
        <translation>Вікно дня народження</translation>
    </message>
    <message>
        <source>Referral bonus</source>
        <translation>Реферальний бонус</translation>
    </message>
    <message>
        <source>Referral minimum</source>
        <translation>Реферальний мінімум</translation>
    </message>
    <message>
        <source>Expiry: leave it empty for points that never expire.</source>
        <translation>Термін дії: залиште порожнім, якщо бали не згорають.</translation>
    </message>
    <message>
        <source>Program version {version}, in force since {when}</source>
        <translation>Версія програми {version}, чинна з {when}</translation>
    </message>
    <message>
        <source>Fix the field above to see the example.</source>
        <translation>Виправте поле вище, щоб побачити приклад.</translation>
    </message>
    <message>
        <source>No changes yet.</source>
        <translation>Змін поки немає.</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Чек</translation>
    </message>
    <message>
        <source>Type a check amount for the example.</source>
        <translation>Введіть суму чека для прикладу.</translation>
    </message>
    <message>
        <source>A {amount} check by a {tier} customer:</source>
        <translation>Чек на {amount} від клієнта рівня {tier}:</translation>
    </message>
    <message>
        <source>discount {discount}, points used {used}, to pay {to_pay},</source>
        <translation>знижка {discount}, списано балів {used}, до сплати {to_pay},</translation>
    </message>
    <message>
        <source>points earned {points}.</source>
        <translation>нараховано балів {points}.</translation>
    </message>
    <message>
        <source>Saved as version {version}. The next sale uses it; past sales keep theirs.</source>
        <translation>Збережено як версію {version}. Наступний продаж використає її; минулі продажі зберігають свою.</translation>
    </message>
    <message>
        <source>Export the program</source>
        <translation>Експорт програми</translation>
    </message>
    <message>
        <source>Program written to {path}.</source>
        <translation>Програму записано в {path}.</translation>
    </message>
    <message>
        <source>Import a program</source>
        <translation>Імпорт програми</translation>
    </message>
    <message>
        <source>Loaded from the file: check the changes, then save.</source>
        <translation>Завантажено з файлу: перевірте зміни, потім збережіть.</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <source>Refund</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <source>Refund a sale</source>
        <translation>Повернення продажу</translation>
    </message>
    <message>
        <source>Sale of {when}: {amount}, paid {paid}; {left} can still be refunded.</source>
        <translation>Продаж від {when}: {amount}, сплачено {paid}; ще можна повернути {left}.</translation>
    </message>
    <message>
        <source>Amount to refund</source>
        <translation>Сума повернення</translation>
    </message>
    <message>
        <source>empty = everything left</source>
        <translation>порожньо = усе, що залишилося</translation>
    </message>
    <message>
        <source>Money back</source>
        <translation>Гроші до повернення</translation>
    </message>
    <message>
        <source>Points given back</source>
        <translation>Балів повернуто</translation>
    </message>
    <message>
        <source>Points taken back</source>
        <translation>Балів списано назад</translation>
    </message>
    <message>
        <source>Cancel  [Esc]</source>
        <translation>Скасувати  [Esc]</translation>
    </message>
    <message>
        <source>Refund  [Enter]</source>
        <translation>Повернути  [Enter]</translation>
    </message>
</context>
<context>
    <name>RegistrationDialog</name>
    <message>
        <source>New customer</source>
        <translation>Новий клієнт</translation>
    </message>
    <message>
        <source>First and last name</source>
        <translation>Ім&apos;я та прізвище</translation>
    </message>
    <message>
        <source>e.g. 067 123 45 67</source>
        <translation>напр. 067 123 45 67</translation>
    </message>
    <message>
        <source>optional, e.g. 31.12.1990</source>
        <translation>необов&apos;язково, напр. 31.12.1990</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>необов&apos;язково</translation>
    </message>
    <message>
        <source>Agrees to receive messages</source>
        <translation>Згоден отримувати повідомлення</translation>
    </message>
    <message>
        <source>Read to the customer: “We will send you messages about your points and our offers by SMS or e-mail. You can say no now, or stop them at any time.”</source>
        <translation>Прочитайте клієнтові: «Ми надсилатимемо вам повідомлення про ваші бали та наші пропозиції через SMS або e-mail. Ви можете відмовитися зараз або відписатися будь-коли».</translation>
    </message>
    <message>
        <source>optional: click here, then scan the friend&apos;s card</source>
        <translation>необов&apos;язково: клацніть тут і відскануйте картку друга</translation>
    </message>
    <message>
        <source>scan a pre-printed card, or leave empty for a new number</source>
        <translation>відскануйте передруковану картку або залиште порожнім для нового номера</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Ім&apos;я</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>&amp;Телефон</translation>
    </message>
    <message>
        <source>&amp;Birthday</source>
        <translation>&amp;День народження</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>&amp;Ел. пошта</translation>
    </message>
    <message>
        <source>&amp;Referred by</source>
        <translation>&amp;Хто запросив</translation>
    </message>
    <message>
        <source>&amp;Card</source>
        <translation>&amp;Картка</translation>
    </message>
    <message>
        <source>&amp;Open this customer instead</source>
        <translation>&amp;Відкрити цього клієнта</translation>
    </message>
    <message>
        <source>Cancel  [Esc]</source>
        <translation>Скасувати  [Esc]</translation>
    </message>
    <message>
        <source>Register  [Enter]</source>
        <translation>Зареєструвати  [Enter]</translation>
    </message>
    <message>
        <source>Their card number</source>
        <translation>Номер їхньої картки</translation>
    </message>
    <message>
        <source>&amp;Print their card  Ctrl+P</source>
        <translation>&amp;Надрукувати картку  Ctrl+P</translation>
    </message>
    <message>
        <source>Start their sale  [Enter]</source>
        <translation>Почати продаж  [Enter]</translation>
    </message>
    <message>
        <source>Open them instead of registering twice?</source>
        <translation>Відкрити його замість повторної реєстрації?</translation>
    </message>
    <message>
        <source>&amp;Open {name} instead</source>
        <translation>&amp;Відкрити: {name}</translation>
    </message>
    <message>
        <source>Welcome, {name}!</source>
        <translation>Ласкаво просимо, {name}!</translation>
    </message>
    <message>
        <source>The pre-printed card they hold is now theirs.</source>
        <translation>Передрукована картка клієнта тепер належить йому.</translation>
    </message>
    <message>
        <source>A new number was issued: print their card now (Ctrl+P), or write the number on a blank card.</source>
        <translation>Видано новий номер: надрукуйте картку зараз (Ctrl+P) або впишіть номер на чисту картку.</translation>
    </message>
    <message>
        <source>Welcome bonus: {points} points.</source>
        <translation>Вітальний бонус, балів: {points}.</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>Save as CSV</source>
        <translation>Зберегти в CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файли CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>SalePanel</name>
    <message>
        <source>Amount</source>
        <translation>Сума</translation>
    </message>
    <message>
        <source>Pay with points:</source>
        <translation>Оплата балами:</translation>
    </message>
    <message>
        <source>No  [−]</source>
        <translation>Ні  [−]</translation>
    </message>
    <message>
        <source>Maximum  [+]</source>
        <translation>Максимум  [+]</translation>
    </message>
    <message>
        <source>Points  [*]</source>
        <translation>Бали  [*]</translation>
    </message>
    <message>
        <source>points</source>
        <translation>бали</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Знижка</translation>
    </message>
    <message>
        <source>Points used</source>
        <translation>Списано балів</translation>
    </message>
    <message>
        <source>Points to earn</source>
        <translation>Буде нараховано</translation>
    </message>
    <message>
        <source>New balance</source>
        <translation>Новий баланс</translation>
    </message>
    <message>
        <source>To pay</source>
        <translation>До сплати</translation>
    </message>
    <message>
        <source>Confirm sale</source>
        <translation>Підтвердити продаж</translation>
    </message>
    <message>
        <source>Next customer</source>
        <translation>Наступний клієнт</translation>
    </message>
    <message>
        <source>No card</source>
        <translation>Без картки</translation>
    </message>
    <message>
        <source>none</source>
        <translation>немає</translation>
    </message>
    <message>
        <source>Category  [/]:</source>
        <translation>Категорія  [/]:</translation>
    </message>
    <message>
        <source>Amount — sale without a card</source>
        <translation>Сума — продаж без картки</translation>
    </message>
    <message>
        <source>Amount — scan a card first, or F5 for no card</source>
        <translation>Сума — спершу відскануйте картку або F5 без картки</translation>
    </message>
    <message>
        <source>{points} = {money}</source>
        <translation>{points} = {money}</translation>
    </message>
    <message>
        <source> +{n} bonus</source>
        <translation> +{n} бон.</translation>
    </message>
    <message>
        <source>No points are earned without a card.</source>
        <translation>Без картки бали не нараховуються.</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <source>Backups</source>
        <translation>Копії</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>Картки</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Каса</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Клієнти</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Звіти</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>Відгуки</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Імпорт</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Програма</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Пристрої</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Працівники</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Синхронізація</translation>
    </message>
</context>
<context>
    <name>SelfTest</name>
    <message>
        <source>database created and migrated</source>
        <translation>базу даних створено й оновлено</translation>
    </message>
    <message>
        <source>nothing tried the network</source>
        <translation>ніщо не зверталося до мережі</translation>
    </message>
    <message>
        <source>self-test passed in {seconds} s</source>
        <translation>самоперевірку пройдено за {seconds} с</translation>
    </message>
    <message>
        <source>self-test FAILED in {seconds} s</source>
        <translation>самоперевірку НЕ ПРОЙДЕНО за {seconds} с</translation>
    </message>
    <message>
        <source>one core here: bundles are imported in one process</source>
        <translation>тут одне ядро: пакети імпортуються в одному процесі</translation>
    </message>
    <message>
        <source>sale and refund on card {card}: balance 100 → 45 → 100</source>
        <translation>продаж і повернення за карткою {card}: баланс 100 → 45 → 100</translation>
    </message>
    <message>
        <source>books balance ({events} journal events)</source>
        <translation>облік сходиться (подій у журналі: {events})</translation>
    </message>
    <message>
        <source>the card PDF is empty</source>
        <translation>PDF картки порожній</translation>
    </message>
    <message>
        <source>card PDF rendered ({size} KB)</source>
        <translation>PDF картки створено ({size} КБ)</translation>
    </message>
    <message>
        <source>a bundle of {events} events imported by {workers} worker processes</source>
        <translation>пакет із {events} подій імпортовано {workers} робочими процесами</translation>
    </message>
    <message>
        <source>main window built and shown in {seconds} s</source>
        <translation>головне вікно створено й показано за {seconds} с</translation>
    </message>
    <message>
        <source>translations load: {languages}</source>
        <translation>переклади завантажуються: {languages}</translation>
    </message>
    <message>
        <source>the sync worker processes did not start (see the log)</source>
        <translation>робочі процеси синхронізації не запустилися (див. журнал)</translation>
    </message>
    <message>
        <source>unexpected sale figures: {sale}</source>
        <translation>неочікувані цифри продажу: {sale}</translation>
    </message>
    <message>
        <source>unexpected balance after refund: {balance}</source>
        <translation>неочікуваний баланс після повернення: {balance}</translation>
    </message>
    <message>
        <source>the imported balances differ</source>
        <translation>імпортовані баланси не збігаються</translation>
    </message>
    <message>
        <source>something tried the network: {calls}</source>
        <translation>щось звернулося до мережі: {calls}</translation>
    </message>
    <message>
        <source>{language} is not available</source>
        <translation>мова {language} недоступна</translation>
    </message>
    <message>
        <source>{language} translation not loaded: {got}</source>
        <translation>переклад {language} не завантажено: {got}</translation>
    </message>
</context>
<context>
    <name>ShopDevicesScreen</name>
    <message>
        <source>Devices</source>
        <translation>Пристрої</translation>
    </message>
    <message>
        <source>Customer display</source>
        <translation>Екран покупця</translation>
    </message>
    <message>
        <source>Show points and greetings to the customer on a second monitor</source>
        <translation>Показувати бали й привітання покупцеві на другому моніторі</translation>
    </message>
    <message>
        <source>Monitor:</source>
        <translation>Монітор:</translation>
    </message>
    <message>
        <source>Save and open the display</source>
        <translation>Зберегти й відкрити екран</translation>
    </message>
    <message>
        <source>Slip printer (ESC/POS receipt printer)</source>
        <translation>Принтер чеків (ESC/POS)</translation>
    </message>
    <message>
        <source>Print a loyalty slip after each sale with a card</source>
        <translation>Друкувати чек лояльності після кожного продажу з карткою</translation>
    </message>
    <message>
        <source>Printer address:</source>
        <translation>Адреса принтера:</translation>
    </message>
    <message>
        <source>usb:VID:PID (e.g. usb:0416:5011), serial:/dev/ttyUSB0 (Windows: serial:COM3), network:192.168.1.50 — as written on the printer&apos;s self-test page</source>
        <translation>usb:VID:PID (напр. usb:0416:5011), serial:/dev/ttyUSB0 (Windows: serial:COM3), network:192.168.1.50 — як зазначено на сторінці самотестування принтера</translation>
    </message>
    <message>
        <source>Paper width:</source>
        <translation>Ширина паперу:</translation>
    </message>
    <message>
        <source>58 mm</source>
        <translation>58 мм</translation>
    </message>
    <message>
        <source>80 mm</source>
        <translation>80 мм</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Зберегти</translation>
    </message>
    <message>
        <source>Print test slip</source>
        <translation>Надрукувати тестовий чек</translation>
    </message>
    <message>
        <source>The customer display is on.</source>
        <translation>Екран покупця увімкнено.</translation>
    </message>
    <message>
        <source>The customer display is off.</source>
        <translation>Екран покупця вимкнено.</translation>
    </message>
    <message>
        <source>Printer settings saved.</source>
        <translation>Налаштування принтера збережено.</translation>
    </message>
    <message>
        <source>Type the printer&apos;s address in the field above, then print the test slip.</source>
        <translation>Введіть адресу принтера в поле вище, потім надрукуйте тестовий чек.</translation>
    </message>
    <message>
        <source>Printing a test slip…</source>
        <translation>Друкуємо тестовий чек…</translation>
    </message>
    <message>
        <source>Test slip printed. Check the paper.</source>
        <translation>Тестовий чек надруковано. Перевірте папір.</translation>
    </message>
</context>
<context>
    <name>Slip</name>
    <message>
        <source>TEST SLIP</source>
        <translation>ПРОБНИЙ ЧЕК</translation>
    </message>
    <message>
        <source>The printer works.</source>
        <translation>Принтер працює.</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>Картка лояльності</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Рівень</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Нараховано балів</translation>
    </message>
    <message>
        <source>Bonus points</source>
        <translation>Бонусні бали</translation>
    </message>
    <message>
        <source>Points spent</source>
        <translation>Списано балів</translation>
    </message>
    <message>
        <source>Points this visit</source>
        <translation>Балів за візит</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Баланс</translation>
    </message>
    <message>
        <source>Expire {day}</source>
        <translation>Згорають {day}</translation>
    </message>
    <message>
        <source>Show this code next time</source>
        <translation>Покажіть цей код наступного разу</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Staff</source>
        <translation>Працівники</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Ім&apos;я</translation>
    </message>
    <message>
        <source>PIN, 4–8 digits</source>
        <translation>PIN, 4–8 цифр</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Касир</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Власник</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Додати</translation>
    </message>
    <message>
        <source>Set this PIN for the chosen person</source>
        <translation>Задати цей PIN вибраному працівникові</translation>
    </message>
    <message>
        <source>Switch on/off</source>
        <translation>Увімкнути/вимкнути</translation>
    </message>
    <message>
        <source>never</source>
        <translation>ніколи</translation>
    </message>
    <message>
        <source>Sign an idle cashier at this till out:</source>
        <translation>Автовихід касира на цій касі:</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Owner actions</source>
        <translation>Дії власника</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Коли</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Хто</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Що</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Працює</translation>
    </message>
    <message>
        <source>Switched off</source>
        <translation>Вимкнено</translation>
    </message>
    <message>
        <source>Choose a person in the list first.</source>
        <translation>Спершу виберіть працівника у списку.</translation>
    </message>
    <message>
        <source>Added.</source>
        <translation>Додано.</translation>
    </message>
    <message>
        <source>PIN changed.</source>
        <translation>PIN змінено.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Збережено.</translation>
    </message>
    <message numerus="yes">
        <source>after %n minute(s) without a key press</source>
        <translation>
            <numerusform>через %n хвилину без натискання клавіш</numerusform>
            <numerusform>через %n хвилини без натискання клавіш</numerusform>
            <numerusform>через %n хвилин без натискання клавіш</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncScreen</name>
    <message numerus="yes">
        <source>received %n event(s)</source>
        <translation>
            <numerusform>отримано %n подію</numerusform>
            <numerusform>отримано %n події</numerusform>
            <numerusform>отримано %n подій</numerusform>
        </translation>
    </message>
    <message>
        <source>It did not work: %1</source>
        <translation>Не вдалося: %1</translation>
    </message>
    <message>
        <source>Folder sync has not run yet.</source>
        <translation>Синхронізація через папку ще не виконувалася.</translation>
    </message>
    <message numerus="yes">
        <source>sent %n event(s)</source>
        <translation>
            <numerusform>надіслано %n подію</numerusform>
            <numerusform>надіслано %n події</numerusform>
            <numerusform>надіслано %n подій</numerusform>
        </translation>
    </message>
    <message>
        <source>Last folder sync: %1 — %2</source>
        <translation>Остання синхронізація через папку: %1 — %2</translation>
    </message>
    <message>
        <source>Last folder sync: %1 — %2.</source>
        <translation>Остання синхронізація через папку: %1 — %2.</translation>
    </message>
    <message>
        <source>%1 refused: %2</source>
        <translation>%1 відхилено: %2</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Синхронізація</translation>
    </message>
    <message>
        <source>This till&apos;s news</source>
        <translation>Новини цієї каси</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Каса</translation>
    </message>
    <message>
        <source>Its news here, up to</source>
        <translation>Її новини тут — до</translation>
    </message>
    <message>
        <source>Export bundle to folder…</source>
        <translation>Вивантажити пакет у папку…</translation>
    </message>
    <message>
        <source>Import bundle…</source>
        <translation>Завантажити пакет…</translation>
    </message>
    <message>
        <source>Folder sync (shared or USB folder)</source>
        <translation>Синхронізація через папку (спільна папка або флешка)</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>Вибрати папку…</translation>
    </message>
    <message>
        <source>Sync:</source>
        <translation>Синхронізувати:</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>вимкнено</translation>
    </message>
    <message numerus="yes">
        <source>every %n minute(s)</source>
        <translation>
            <numerusform>кожну %n хвилину</numerusform>
            <numerusform>кожні %n хвилини</numerusform>
            <numerusform>кожні %n хвилин</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync with folder now</source>
        <translation>Синхронізувати з папкою зараз</translation>
    </message>
    <message>
        <source>Sync server (PostgreSQL)</source>
        <translation>Сервер синхронізації (PostgreSQL)</translation>
    </message>
    <message>
        <source>For tills in different places: each one sends its news to the server and fetches the others&apos;. Sales go on when the server cannot be reached.</source>
        <translation>Для кас у різних місцях: кожна надсилає свої новини на сервер і забирає чужі. Якщо сервер недоступний, продажі тривають.</translation>
    </message>
    <message>
        <source>Save address</source>
        <translation>Зберегти адресу</translation>
    </message>
    <message>
        <source>Push and pull now</source>
        <translation>Надіслати й отримати зараз</translation>
    </message>
    <message>
        <source>Tills of this shop</source>
        <translation>Каси цього магазину</translation>
    </message>
    <message>
        <source>New till number:</source>
        <translation>Номер нової каси:</translation>
    </message>
    <message>
        <source>Create pairing file for a new till…</source>
        <translation>Створити файл підключення для нової каси…</translation>
    </message>
    <message>
        <source>Join a shop from a pairing file…</source>
        <translation>Підключитися до магазину з файлу підключення…</translation>
    </message>
    <message>
        <source>Noticed</source>
        <translation>Помічено</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Покупець</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Що сталося</translation>
    </message>
    <message>
        <source>Mark as dealt with</source>
        <translation>Позначити як вирішене</translation>
    </message>
    <message>
        <source>Once you have sorted it out with the customer: the conflict leaves this list here and on the other tills.</source>
        <translation>Коли ви владнали це з покупцем: конфлікт зникне з цього списку тут і на інших касах.</translation>
    </message>
    <message>
        <source>Select a conflict you have dealt with.</source>
        <translation>Виберіть конфлікт, який ви вже владнали.</translation>
    </message>
    <message>
        <source>This is till %1 of %2.</source>
        <translation>Це каса %1 магазину «%2».</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) of its own</source>
        <translation>
            <numerusform>%n власна подія</numerusform>
            <numerusform>%n власні події</numerusform>
            <numerusform>%n власних подій</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting for sync.</source>
        <translation>
            <numerusform>%n чекає на синхронізацію.</numerusform>
            <numerusform>%n чекають на синхронізацію.</numerusform>
            <numerusform>%n чекають на синхронізацію.</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder: %1</source>
        <translation>Папка: %1</translation>
    </message>
    <message>
        <source>No folder chosen. Choose a shared or USB folder all tills can reach.</source>
        <translation>Папку не вибрано. Виберіть спільну папку або флешку, доступну всім касам.</translation>
    </message>
    <message>
        <source>Another till of the shop has this till&apos;s number: make a pairing file with a new number on the owner&apos;s till and join it here to take that number.</source>
        <translation>Інша каса магазину має такий самий номер, як ця: створіть на касі власника файл підключення з новим номером і підключіться за ним тут, щоб отримати цей номер.</translation>
    </message>
    <message>
        <source>This till is new and empty: it can join a shop.</source>
        <translation>Ця каса нова й порожня: вона може підключитися до магазину.</translation>
    </message>
    <message>
        <source>Nothing sent yet.</source>
        <translation>Поки нічого не надіслано.</translation>
    </message>
    <message>
        <source>Nothing received yet.</source>
        <translation>Поки нічого не отримано.</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n подія</numerusform>
            <numerusform>%n події</numerusform>
            <numerusform>%n подій</numerusform>
        </translation>
    </message>
    <message>
        <source>exported to a bundle</source>
        <translation>вивантажено в пакет</translation>
    </message>
    <message>
        <source>pushed to the sync server</source>
        <translation>надіслано на сервер синхронізації</translation>
    </message>
    <message>
        <source>imported from a bundle</source>
        <translation>завантажено з пакета</translation>
    </message>
    <message>
        <source>pulled from the sync server</source>
        <translation>отримано з сервера синхронізації</translation>
    </message>
    <message>
        <source>through the sync folder</source>
        <translation>через папку синхронізації</translation>
    </message>
    <message>
        <source>Last sent: %1 — %2</source>
        <translation>Останнє надсилання: %1 — %2</translation>
    </message>
    <message>
        <source>Last received: %1 — %2 from till %3</source>
        <translation>Останнє отримання: %1 — %2 від каси %3</translation>
    </message>
    <message>
        <source>Last received: %1 — %2</source>
        <translation>Останнє отримання: %1 — %2</translation>
    </message>
    <message>
        <source>event no. %1</source>
        <translation>подія № %1</translation>
    </message>
    <message>
        <source>paired here; no news from it yet</source>
        <translation>підключена звідси; новин від неї ще немає</translation>
    </message>
    <message>
        <source>Other tills known here:</source>
        <translation>Інші каси, відомі тут:</translation>
    </message>
    <message>
        <source>No other till is known here yet.</source>
        <translation>Інших кас тут поки немає.</translation>
    </message>
    <message>
        <source>Till %1</source>
        <translation>Каса %1</translation>
    </message>
    <message numerus="yes">
        <source>Conflicts to look at (%n)</source>
        <translation>
            <numerusform>Конфлікти для перевірки (%n)</numerusform>
            <numerusform>Конфлікти для перевірки (%n)</numerusform>
            <numerusform>Конфлікти для перевірки (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>Conflicts to look at: none</source>
        <translation>Конфліктів для перевірки немає</translation>
    </message>
    <message>
        <source>(not on this till yet)</source>
        <translation>(на цій касі поки немає)</translation>
    </message>
    <message>
        <source>Points were used twice on two tills while offline (spent, or taken back by two refunds of one sale); nothing is owed now.</source>
        <translation>Бали використали двічі на двох касах без зв&apos;язку (витратили або списали двома поверненнями одного продажу); зараз клієнт нічого не винен.</translation>
    </message>
    <message numerus="yes">
        <source>Points were used twice on two tills while offline (spent, or taken back by two refunds of one sale): %n point(s) are still owed, and the next points the customer is given pay them back.</source>
        <translation>
            <numerusform>Бали використали двічі на двох касах без зв&apos;язку (витратили або списали двома поверненнями одного продажу): ще не відшкодовано %n бал, його покриють наступні бали, нараховані клієнту.</numerusform>
            <numerusform>Бали використали двічі на двох касах без зв&apos;язку (витратили або списали двома поверненнями одного продажу): ще не відшкодовано %n бали, їх покриють наступні бали, нараховані клієнту.</numerusform>
            <numerusform>Бали використали двічі на двох касах без зв&apos;язку (витратили або списали двома поверненнями одного продажу): ще не відшкодовано %n балів, їх покриють наступні бали, нараховані клієнту.</numerusform>
        </translation>
    </message>
    <message>
        <source>A refund on one till took back points the customer had already spent, while another till gave them points without knowing; it has been made good since.</source>
        <translation>Повернення на одній касі списало бали, які клієнт уже витратив, а інша каса, не знаючи про це, нарахувала йому бали; відтоді це відшкодовано.</translation>
    </message>
    <message numerus="yes">
        <source>A refund on one till took back points the customer had already spent, while another till gave them points without knowing. The balance is right; their points lots hold %n point(s) more, which the next points the customer is given pay off.</source>
        <translation>
            <numerusform>Повернення на одній касі списало бали, які клієнт уже витратив, а інша каса, не знаючи про це, нарахувала йому бали. Баланс правильний; у партіях балів на %n бал більше, його погасять наступні бали, нараховані клієнту.</numerusform>
            <numerusform>Повернення на одній касі списало бали, які клієнт уже витратив, а інша каса, не знаючи про це, нарахувала йому бали. Баланс правильний; у партіях балів на %n бали більше, їх погасять наступні бали, нараховані клієнту.</numerusform>
            <numerusform>Повернення на одній касі списало бали, які клієнт уже витратив, а інша каса, не знаючи про це, нарахувала йому бали. Баланс правильний; у партіях балів на %n балів більше, їх погасять наступні бали, нараховані клієнту.</numerusform>
        </translation>
    </message>
    <message>
        <source>Card %1 was given to two customers. The later one keeps it; the other keeps their points but needs a new card.</source>
        <translation>Картку %1 видано двом покупцям. Вона залишається в того, кому її видали пізніше; інший зберігає бали, але потребує нової картки.</translation>
    </message>
    <message>
        <source>A sale was made with card %1 after another till had blocked it. The sale stands; the card stays blocked.</source>
        <translation>Продаж пройшов за карткою %1 після того, як інша каса її заблокувала. Продаж залишається в силі; картка залишається заблокованою.</translation>
    </message>
    <message>
        <source>Two tills both call themselves till %2: one pairing file was used on both, so the cards they give out can get the same numbers. Make a pairing file with a new number here and join it on one of the two: that till takes the new number.</source>
        <translation>Дві каси називають себе касою %2: один файл підключення використали на обох, тож картки, які вони видають, можуть отримати однакові номери. Створіть тут файл підключення з новим номером і підключіть за ним одну з двох: вона отримає новий номер.</translation>
    </message>
    <message>
        <source>A sale of %2 was refunded on two tills while offline: %3 more than its check went back. Both refunds stand; the sale cannot be refunded again.</source>
        <translation>Повернення продажу на %2 пройшло на двох касах без зв&apos;язку: повернули на %3 більше, ніж був чек. Обидва повернення залишаються в силі; цей продаж більше не можна повернути.</translation>
    </message>
    <message>
        <source>Mark as dealt with?</source>
        <translation>Позначити як вирішене?</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) will leave the list, on this till and on the others once they have this till&apos;s news. Do this once you have sorted it out with the customer.</source>
        <translation>
            <numerusform>%n конфлікт зникне зі списку — на цій касі та на інших, коли до них надійдуть новини цієї каси. Робіть це, коли владнали все з покупцем.</numerusform>
            <numerusform>%n конфлікти зникнуть зі списку — на цій касі та на інших, коли до них надійдуть новини цієї каси. Робіть це, коли владнали все з покупцем.</numerusform>
            <numerusform>%n конфліктів зникнуть зі списку — на цій касі та на інших, коли до них надійдуть новини цієї каси. Робіть це, коли владнали все з покупцем.</numerusform>
        </translation>
    </message>
    <message>
        <source>Marking as dealt with…</source>
        <translation>Позначаємо як вирішене…</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) marked as dealt with.</source>
        <translation>
            <numerusform>%n конфлікт позначено як вирішений.</numerusform>
            <numerusform>%n конфлікти позначено як вирішені.</numerusform>
            <numerusform>%n конфліктів позначено як вирішені.</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder for the bundle</source>
        <translation>Папка для пакета</translation>
    </message>
    <message>
        <source>Nothing new to export: the other tills have all of it.</source>
        <translation>Нічого вивантажувати: інші каси вже все мають.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n event(s) to %1.</source>
        <translation>
            <numerusform>Вивантажено %n подію в %1.</numerusform>
            <numerusform>Вивантажено %n події в %1.</numerusform>
            <numerusform>Вивантажено %n подій в %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Вивантаження…</translation>
    </message>
    <message>
        <source>Bundle to import</source>
        <translation>Пакет для завантаження</translation>
    </message>
    <message>
        <source>Till bundles (%1);;All files (*)</source>
        <translation>Пакети кас (%1);;Усі файли (*)</translation>
    </message>
    <message>
        <source>Nothing new in that bundle: this till already had all of it.</source>
        <translation>У цьому пакеті немає нічого нового: ця каса вже все має.</translation>
    </message>
    <message numerus="yes">
        <source>Till %1: %n new event(s) applied.</source>
        <translation>
            <numerusform>Каса %1: застосовано %n нову подію.</numerusform>
            <numerusform>Каса %1: застосовано %n нові події.</numerusform>
            <numerusform>Каса %1: застосовано %n нових подій.</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking and importing %1…</source>
        <translation>Перевірка й завантаження %1…</translation>
    </message>
    <message>
        <source>Folder the tills sync through</source>
        <translation>Папка, через яку синхронізуються каси</translation>
    </message>
    <message>
        <source>This till syncs through %1.</source>
        <translation>Ця каса синхронізується через %1.</translation>
    </message>
    <message>
        <source>Folder sync is off.</source>
        <translation>Синхронізацію через папку вимкнено.</translation>
    </message>
    <message numerus="yes">
        <source>Folder sync runs every %n minute(s).</source>
        <translation>
            <numerusform>Синхронізація через папку — кожну %n хвилину.</numerusform>
            <numerusform>Синхронізація через папку — кожні %n хвилини.</numerusform>
            <numerusform>Синхронізація через папку — кожні %n хвилин.</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing with the folder…</source>
        <translation>Синхронізація з папкою…</translation>
    </message>
    <message>
        <source>Sync server address saved.</source>
        <translation>Адресу сервера синхронізації збережено.</translation>
    </message>
    <message>
        <source>Sync server address removed.</source>
        <translation>Адресу сервера синхронізації видалено.</translation>
    </message>
    <message numerus="yes">
        <source>Sync server: sent %n event(s)</source>
        <translation>
            <numerusform>Сервер синхронізації: надіслано %n подію</numerusform>
            <numerusform>Сервер синхронізації: надіслано %n події</numerusform>
            <numerusform>Сервер синхронізації: надіслано %n подій</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>received %n event(s).</source>
        <translation>
            <numerusform>отримано %n подію.</numerusform>
            <numerusform>отримано %n події.</numerusform>
            <numerusform>отримано %n подій.</numerusform>
        </translation>
    </message>
    <message>
        <source>Talking to the sync server…</source>
        <translation>Зв’язок із сервером синхронізації…</translation>
    </message>
    <message>
        <source>Pairing file for till %1</source>
        <translation>Файл підключення для каси %1</translation>
    </message>
    <message>
        <source>Pairing files (%1)</source>
        <translation>Файли підключення (%1)</translation>
    </message>
    <message>
        <source>Pairing file for till %1 written to %2. It holds the shop&apos;s key: carry it to the new till, join there, then delete it.</source>
        <translation>Файл підключення для каси %1 записано в %2. У ньому ключ магазину: перенесіть його на нову касу, підключіться там, потім видаліть файл.</translation>
    </message>
    <message>
        <source>Writing the pairing file…</source>
        <translation>Запис файлу підключення…</translation>
    </message>
    <message>
        <source>Pairing file</source>
        <translation>Файл підключення</translation>
    </message>
    <message>
        <source>Pairing files (%1);;All files (*)</source>
        <translation>Файли підключення (%1);;Усі файли (*)</translation>
    </message>
    <message>
        <source>This is now till %1 (it was till %2): the cards it gives from now on carry the new number. The other tills learn it with this till&apos;s next news.</source>
        <translation>Тепер це каса %1 (була каса %2): картки, які вона видає відтепер, мають новий номер. Інші каси дізнаються його з наступних новин цієї каси.</translation>
    </message>
    <message>
        <source>This is now till %1 of %2. Import the other tills&apos; bundles or sync with the folder or server to get the customers.</source>
        <translation>Тепер це каса %1 магазину «%2». Завантажте пакети інших кас або синхронізуйтеся через папку чи сервер, щоб отримати покупців.</translation>
    </message>
    <message>
        <source>Joining the shop…</source>
        <translation>Підключення до магазину…</translation>
    </message>
</context>
<context>
    <name>Tiers</name>
    <message>
        <source>Bronze</source>
        <translation>Бронза</translation>
    </message>
    <message>
        <source>Silver</source>
        <translation>Срібло</translation>
    </message>
    <message>
        <source>Gold</source>
        <translation>Золото</translation>
    </message>
</context>
<context>
    <name>TillSignIn</name>
    <message>
        <source>Who is at the till?</source>
        <translation>Хто на касі?</translation>
    </message>
    <message>
        <source>Type your PIN and press Enter</source>
        <translation>Введіть свій PIN і натисніть Enter</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Scanning still works: a scanned card shows the customer on the left, and the sale waits for your PIN.</source>
        <translation>Сканер працює: відсканована картка покаже клієнта ліворуч, а продаж зачекає на ваш PIN.</translation>
    </message>
    <message>
        <source>Type your PIN: {min} to {max} digits.</source>
        <translation>Введіть свій PIN: від {min} до {max} цифр.</translation>
    </message>
    <message>
        <source>Wrong PIN. Tries left before a 5-minute lock: {left}.</source>
        <translation>Неправильний PIN. Залишилося спроб до блокування на 5 хвилин: {left}.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again at {time}. Scanning and lookups still work.</source>
        <translation>Забагато неправильних PIN. Спробуйте знову о {time}. Сканер і пошук працюють.</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>використання: </translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>позиційні аргументи</translation>
    </message>
    <message>
        <source>options</source>
        <translation>параметри</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>показати цю довідку й вийти</translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>показати версію програми й вийти</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s: помилка: %(message)s
</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>аргумент %(argument_name)s: %(message)s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>не вказано обов&apos;язкові аргументи: %s</translation>
    </message>
    <message>
        <source>one of the arguments %s is required</source>
        <translation>потрібен один з аргументів %s</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>невідомі аргументи: %s</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>неприпустимий вибір: %(value)r (виберіть з %(choices)s)</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>неприпустиме значення %(type)s: %(value)r</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>очікувався один аргумент</translation>
    </message>
    <message>
        <source>expected at most one argument</source>
        <translation>очікувалося не більше одного аргументу</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>очікувався щонайменше один аргумент</translation>
    </message>
    <message>
        <source>expected %s argument</source>
        <translation>очікувалося аргументів: %s</translation>
    </message>
    <message>
        <source>expected %s arguments</source>
        <translation>очікувалося аргументів: %s</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>не можна разом з аргументом %s</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>зайве значення аргументу %r пропущено</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>неоднозначний параметр: %(option)s підходить до %(matches)s</translation>
    </message>
    <message>
        <source>unexpected option string: %s</source>
        <translation>неочікуваний параметр: %s</translation>
    </message>
    <message>
        <source>can&apos;t open &apos;%(filename)s&apos;: %(error)s</source>
        <translation>не вдається відкрити &apos;%(filename)s&apos;: %(error)s</translation>
    </message>
    <message>
        <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
        <translation>невідома команда %(parser_name)r (варіанти: %(choices)s)</translation>
    </message>
</context>
</TS>
