<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AdjustPointsDialog</name>
    <message>
        <source>Adjust points</source>
        <translation>Корректировка баллов</translation>
    </message>
    <message>
        <source>e.g. +50 or -20</source>
        <translation>например, +50 или -20</translation>
    </message>
    <message>
        <source>Required, e.g. lost receipt of 12 May</source>
        <translation>Обязательно, например: потерянный чек от 12 мая</translation>
    </message>
    <message>
        <source>Points (+ adds, − takes away)</source>
        <translation>Баллы (+ добавить, − списать)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Written to the points history with your name and the reason, and kept in the owner&apos;s audit log.</source>
        <translation>Запишется в историю баллов с вашим именем и причиной и сохранится в журнале действий владельца.</translation>
    </message>
    <message>
        <source>Save adjustment</source>
        <translation>Сохранить корректировку</translation>
    </message>
    <message>
        <source>Balance now: {points} points</source>
        <translation>Баланс сейчас: {points} б.</translation>
    </message>
    <message>
        <source>New balance: {points} points</source>
        <translation>Новый баланс: {points} б.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Something went wrong</source>
        <translation>Что-то пошло не так</translation>
    </message>
    <message>
        <source>Something went wrong, but your data is safe: every sale is saved whole or not at all.</source>
        <translation>Что-то пошло не так, но ваши данные в сохранности: каждая продажа сохраняется целиком или не сохраняется вовсе.</translation>
    </message>
    <message>
        <source>You can keep working. If it happens again, send the details below to your support.</source>
        <translation>Можно продолжать работу. Если это повторится, отправьте подробности ниже в службу поддержки.</translation>
    </message>
    <message>
        <source>Loyalty terminal</source>
        <translation>Терминал лояльности</translation>
    </message>
    <message>
        <source>Cannot open the database</source>
        <translation>Не удаётся открыть базу данных</translation>
    </message>
    <message>
        <source>The till is already open on this database (process {pid}). Switch to that window; a second window on the same data is not allowed.</source>
        <translation>Касса уже открыта на этой базе данных (процесс {pid}). Перейдите в то окно: второе окно на тех же данных не допускается.</translation>
    </message>
    <message>
        <source>Cannot lock the database folder {folder}: check that it is writable.</source>
        <translation>Не удаётся заблокировать папку базы данных {folder}: проверьте, что в неё можно писать.</translation>
    </message>
    <message>
        <source>The till is already open</source>
        <translation>Касса уже открыта</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n минуту</numerusform>
            <numerusform>%n минуты</numerusform>
            <numerusform>%n минут</numerusform>
        </translation>
    </message>
    <message>
        <source>Idle cashiers are no longer signed out</source>
        <translation>Автовыход кассиров выключен</translation>
    </message>
    <message>
        <source>Idle cashiers are signed out after {minutes}</source>
        <translation>Автовыход кассиров через {minutes} без нажатия клавиш</translation>
    </message>
    <message>
        <source>Owner added: {name}</source>
        <translation>Добавлен владелец: {name}</translation>
    </message>
    <message>
        <source>Cashier added: {name}</source>
        <translation>Добавлен кассир: {name}</translation>
    </message>
    <message>
        <source>Owner PIN set up for {name}</source>
        <translation>PIN владельца задан для {name}</translation>
    </message>
    <message>
        <source>Owner screens unlocked</source>
        <translation>Открыты экраны владельца</translation>
    </message>
    <message>
        <source>Signed in at the till</source>
        <translation>Вход на кассе</translation>
    </message>
    <message>
        <source>Sign-in locked for five minutes after wrong PINs</source>
        <translation>Вход заблокирован на пять минут после неверных PIN</translation>
    </message>
    <message>
        <source>PIN changed for {name}</source>
        <translation>Изменён PIN: {name}</translation>
    </message>
    <message>
        <source>Switched on: {name}</source>
        <translation>Включено: {name}</translation>
    </message>
    <message>
        <source>Switched off: {name}</source>
        <translation>Выключено: {name}</translation>
    </message>
    <message>
        <source>Points adjusted for {customer}: {points} ({reason})</source>
        <translation>Баллы изменены для {customer}: {points} ({reason})</translation>
    </message>
    <message>
        <source>A complaint or suggestion marked resolved</source>
        <translation>Жалоба или предложение отмечены решёнными</translation>
    </message>
    <message>
        <source>Card {card} blocked ({reason})</source>
        <translation>Карта {card} заблокирована ({reason})</translation>
    </message>
    <message>
        <source>Card {card} unblocked ({reason})</source>
        <translation>Карта {card} разблокирована ({reason})</translation>
    </message>
    <message>
        <source>Card {old} replaced by {new} for {customer}</source>
        <translation>Карта {old} заменена на {new} для {customer}</translation>
    </message>
    <message>
        <source>Customer data exported: {customer}</source>
        <translation>Экспортированы данные клиента: {customer}</translation>
    </message>
    <message>
        <source>A customer&apos;s personal data erased</source>
        <translation>Личные данные клиента удалены</translation>
    </message>
    <message>
        <source>Consent to messages given: {customer}</source>
        <translation>Согласие на сообщения: {customer}</translation>
    </message>
    <message>
        <source>Consent to messages withdrawn: {customer}</source>
        <translation>Согласие на сообщения отозвано: {customer}</translation>
    </message>
    <message>
        <source>Loyalty program changed</source>
        <translation>Программа лояльности изменена</translation>
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
        <translation>Резервная копия данных кассы ещё не делалась. Владелец: откройте «Резервные копии» (F9).</translation>
    </message>
    <message>
        <source>No successful backup since %1. Owner: open Backups (F9).</source>
        <translation>Нет удачной резервной копии с %1. Владелец: откройте «Резервные копии» (F9).</translation>
    </message>
    <message numerus="yes">
        <source>%n backup(s) kept in %1 (7 daily, 4 weekly, 12 monthly). Each one is checked when it is made.</source>
        <translation>
            <numerusform>%n резервная копия хранится в %1 (7 ежедневных, 4 еженедельных, 12 ежемесячных). Каждая проверяется при создании.</numerusform>
            <numerusform>%n резервные копии хранятся в %1 (7 ежедневных, 4 еженедельных, 12 ежемесячных). Каждая проверяется при создании.</numerusform>
            <numerusform>%n резервных копий хранится в %1 (7 ежедневных, 4 еженедельных, 12 ежемесячных). Каждая проверяется при создании.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BackupsScreen</name>
    <message>
        <source>Backups</source>
        <translation>Резервные копии</translation>
    </message>
    <message>
        <source>Automatic daily backup</source>
        <translation>Автоматическая ежедневная копия</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>Сделать копию</translation>
    </message>
    <message>
        <source>Open backup folder</source>
        <translation>Открыть папку копий</translation>
    </message>
    <message>
        <source>Second copy (USB stick or network folder)</source>
        <translation>Вторая копия (флешка или сетевая папка)</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>Выбрать папку…</translation>
    </message>
    <message>
        <source>Stop copying</source>
        <translation>Не копировать</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Восстановление</translation>
    </message>
    <message>
        <source>Restoring replaces all of the till&apos;s data with the chosen backup. The data as it is now is kept in the backup folder first. Damaged files and other shops&apos; databases are refused.</source>
        <translation>Восстановление заменяет все данные кассы выбранной копией. Текущие данные сначала сохраняются в папке копий. Повреждённые файлы и базы других магазинов не принимаются.</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Создана</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <source>Restore selected backup…</source>
        <translation>Восстановить выбранную копию…</translation>
    </message>
    <message>
        <source>Restore from a file…</source>
        <translation>Восстановить из файла…</translation>
    </message>
    <message>
        <source>No backup has been made yet.</source>
        <translation>Резервных копий ещё нет.</translation>
    </message>
    <message>
        <source>No successful backup for more than 2 days (last: %1).</source>
        <translation>Нет удачной копии больше 2 дней (последняя: %1).</translation>
    </message>
    <message>
        <source>Last verified backup: %1.</source>
        <translation>Последняя проверенная копия: %1.</translation>
    </message>
    <message>
        <source>Last attempt failed: %1</source>
        <translation>Последняя попытка не удалась: %1</translation>
    </message>
    <message>
        <source>Every backup is also copied to %1.</source>
        <translation>Каждая копия также копируется в %1.</translation>
    </message>
    <message>
        <source>Not set. Choose a USB stick or network folder to keep a second copy.</source>
        <translation>Не задано. Выберите флешку или сетевую папку для второй копии.</translation>
    </message>
    <message>
        <source>Making a backup and checking it…</source>
        <translation>Создаём копию и проверяем её…</translation>
    </message>
    <message>
        <source>The backup failed: %1</source>
        <translation>Копия не удалась: %1</translation>
    </message>
    <message>
        <source>Folder for a second copy of every backup</source>
        <translation>Папка для второй копии каждой резервной копии</translation>
    </message>
    <message>
        <source>Backups will also be copied to %1.</source>
        <translation>Копии будут также сохраняться в %1.</translation>
    </message>
    <message>
        <source>Backups are no longer copied to a second folder.</source>
        <translation>Копии больше не сохраняются во вторую папку.</translation>
    </message>
    <message>
        <source>Backup to restore</source>
        <translation>Копия для восстановления</translation>
    </message>
    <message>
        <source>Till databases (*.db);;All files (*)</source>
        <translation>Базы кассы (*.db);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Restore this backup?</source>
        <translation>Восстановить эту копию?</translation>
    </message>
    <message>
        <source>All of the till&apos;s data will be replaced by the backup %1. Sales made after it will no longer be shown.

The data as it is now is kept in %2 first.</source>
        <translation>Все данные кассы будут заменены копией %1. Продажи, сделанные после неё, больше не будут видны.

Текущие данные сначала сохраняются в %2.</translation>
    </message>
</context>
<context>
    <name>BatchModel</name>
    <message>
        <source>Reserved</source>
        <translation>Зарезервировано</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>Карты</translation>
    </message>
    <message>
        <source>Still in stock</source>
        <translation>Ещё на складе</translation>
    </message>
    <message>
        <source>First number</source>
        <translation>Первый номер</translation>
    </message>
    <message>
        <source>Last number</source>
        <translation>Последний номер</translation>
    </message>
    <message>
        <source>Batch %1</source>
        <translation>Партия %1</translation>
    </message>
</context>
<context>
    <name>CameraScanDialog</name>
    <message>
        <source>Scan a card with the camera</source>
        <translation>Сканировать карту камерой</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
</context>
<context>
    <name>CameraScanner</name>
    <message>
        <source>Hold the card&apos;s QR code or barcode up to the camera.</source>
        <translation>Поднесите QR-код или штрихкод карты к камере.</translation>
    </message>
    <message>
        <source>No camera is connected.</source>
        <translation>Камера не подключена.</translation>
    </message>
    <message>
        <source>The camera stopped: %1</source>
        <translation>Камера остановилась: %1</translation>
    </message>
</context>
<context>
    <name>CardPrint</name>
    <message>
        <source>%1 % discount on every purchase</source>
        <translation>Скидка %1 % на каждую покупку</translation>
    </message>
    <message>
        <source>Pay up to %1 % of a purchase with points</source>
        <translation>Баллами можно оплатить до %1 % покупки</translation>
    </message>
    <message numerus="yes">
        <source>%n loyalty card(s)</source>
        <translation>
            <numerusform>%n карта лояльности</numerusform>
            <numerusform>%n карты лояльности</numerusform>
            <numerusform>%n карт лояльности</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Points are valid for %n day(s)</source>
        <translation>
            <numerusform>Баллы действуют %n день</numerusform>
            <numerusform>Баллы действуют %n дня</numerusform>
            <numerusform>Баллы действуют %n дней</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 % back in points, 1 point = %2 %3</source>
        <translation>%1 % возвращается баллами, 1 балл = %2 %3</translation>
    </message>
    <message>
        <source>from %1 %2</source>
        <translation>от %1 %2</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>Карта лояльности</translation>
    </message>
    <message>
        <source>Show this card at the till to earn and spend points.</source>
        <translation>Покажите эту карту на кассе, чтобы получать и тратить баллы.</translation>
    </message>
    <message>
        <source>Tel. %1</source>
        <translation>Тел. %1</translation>
    </message>
    <message>
        <source>Loyalty card %1</source>
        <translation>Карта лояльности %1</translation>
    </message>
</context>
<context>
    <name>CardPrintDialog</name>
    <message>
        <source>Print the back too (program terms, shop phone)</source>
        <translation>Печатать и оборот (условия программы, телефон магазина)</translation>
    </message>
    <message>
        <source>Holder&apos;s name on the card</source>
        <translation>Имя владельца на карте</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Печать…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Сохранить в PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Card %1 · credit-card size 85.6 × 54 mm</source>
        <translation>Карта %1 · размер банковской карты 85,6 × 54 мм</translation>
    </message>
    <message numerus="yes">
        <source>%1 cards on %n A4 sheet(s) of 10, with crop marks</source>
        <translation>
            <numerusform>Карт: %1, на %n листе A4 по 10, с метками обрезки</numerusform>
            <numerusform>Карт: %1, на %n листах A4 по 10, с метками обрезки</numerusform>
            <numerusform>Карт: %1, на %n листах A4 по 10, с метками обрезки</numerusform>
        </translation>
    </message>
    <message>
        <source>Print preview</source>
        <translation>Предварительный просмотр</translation>
    </message>
    <message>
        <source>The printer could not be started.</source>
        <translation>Не удалось запустить принтер.</translation>
    </message>
    <message>
        <source>Save cards as PDF</source>
        <translation>Сохранить карты в PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Файлы PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>Записываем PDF…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Стоп</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>Сохранено в %1</translation>
    </message>
    <message>
        <source>Stopped; no PDF was written.</source>
        <translation>Остановлено; PDF не записан.</translation>
    </message>
    <message>
        <source>Could not save the PDF: %1</source>
        <translation>Не удалось сохранить PDF: %1</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>Карты</translation>
    </message>
    <message>
        <source>Print card sheets</source>
        <translation>Печать листов карт</translation>
    </message>
    <message>
        <source>Print card %1</source>
        <translation>Печать карты %1</translation>
    </message>
</context>
<context>
    <name>CardsScreen</name>
    <message>
        <source>Cards</source>
        <translation>Карты</translation>
    </message>
    <message>
        <source>In stock, not yet given out</source>
        <translation>На складе, ещё не выданы</translation>
    </message>
    <message>
        <source>With customers</source>
        <translation>У клиентов</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Заблокированы</translation>
    </message>
    <message>
        <source>Replaced</source>
        <translation>Заменены</translation>
    </message>
    <message>
        <source> cards</source>
        <translation> карт</translation>
    </message>
    <message>
        <source>Reserve numbers and print…</source>
        <translation>Зарезервировать номера и напечатать…</translation>
    </message>
    <message>
        <source>New pre-numbered cards</source>
        <translation>Новые пронумерованные карты</translation>
    </message>
    <message>
        <source>How many:</source>
        <translation>Сколько:</translation>
    </message>
    <message>
        <source>The numbers are saved as unassigned stock. Scanning one of these cards when registering a customer gives it to them.</source>
        <translation>Номера сохраняются как невыданный запас. Если отсканировать такую карту при регистрации клиента, она достанется ему.</translation>
    </message>
    <message>
        <source>Scan or type a card number</source>
        <translation>Отсканируйте или введите номер карты</translation>
    </message>
    <message>
        <source>Print card…</source>
        <translation>Печать карты…</translation>
    </message>
    <message>
        <source>Print a customer&apos;s card again</source>
        <translation>Напечатать карту клиента заново</translation>
    </message>
    <message>
        <source>No card batches yet.</source>
        <translation>Партий карт ещё нет.</translation>
    </message>
    <message>
        <source>Print the unused cards again…</source>
        <translation>Напечатать неиспользованные карты заново…</translation>
    </message>
    <message>
        <source>Save numbers as CSV…</source>
        <translation>Сохранить номера в CSV…</translation>
    </message>
    <message>
        <source>Batches printed</source>
        <translation>Напечатанные партии</translation>
    </message>
    <message>
        <source>Shop name, phone and logo come from the shop settings; the back shows the program in force when the card is printed.</source>
        <translation>Название магазина, телефон и логотип берутся из настроек магазина; на обороте — программа, действующая на момент печати карты.</translation>
    </message>
    <message>
        <source>How the cards look</source>
        <translation>Как выглядят карты</translation>
    </message>
    <message numerus="yes">
        <source>%n A4 sheet(s) of 10 cards</source>
        <translation>
            <numerusform>%n лист A4 по 10 карт</numerusform>
            <numerusform>%n листа A4 по 10 карт</numerusform>
            <numerusform>%n листов A4 по 10 карт</numerusform>
        </translation>
    </message>
    <message>
        <source>Reserved %1 numbers: %2 … %3.</source>
        <translation>Зарезервировано номеров: %1: %2 … %3.</translation>
    </message>
    <message>
        <source>Save card numbers</source>
        <translation>Сохранить номера карт</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>Could not save the file: %1</source>
        <translation>Не удалось сохранить файл: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n card number(s) saved to %1</source>
        <translation>
            <numerusform>%n номер карты сохранён в %1</numerusform>
            <numerusform>%n номера карт сохранены в %1</numerusform>
            <numerusform>%n номеров карт сохранено в %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Checkout</name>
    <message>
        <source>{rate} % discount {tier}</source>
        <translation>скидка {rate} % {tier}</translation>
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
        <translation>прервано; ничего недописанного не сохранено.</translation>
    </message>
    <message>
        <source>unexpected error: {error}</source>
        <translation>непредвиденная ошибка: {error}</translation>
    </message>
    <message>
        <source>unexpected error: {error} (the details are in {log})</source>
        <translation>непредвиденная ошибка: {error} (подробности в {log})</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n страница</numerusform>
            <numerusform>%n страницы</numerusform>
            <numerusform>%n страниц</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n card(s)</source>
        <translation>
            <numerusform>%n карта</numerusform>
            <numerusform>%n карты</numerusform>
            <numerusform>%n карт</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sheet(s)</source>
        <translation>
            <numerusform>%n лист</numerusform>
            <numerusform>%n листа</numerusform>
            <numerusform>%n листов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n визит</numerusform>
            <numerusform>%n визита</numerusform>
            <numerusform>%n визитов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n клиент</numerusform>
            <numerusform>%n клиента</numerusform>
            <numerusform>%n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n строка</numerusform>
            <numerusform>%n строки</numerusform>
            <numerusform>%n строк</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refund(s)</source>
        <translation>
            <numerusform>%n возврат</numerusform>
            <numerusform>%n возврата</numerusform>
            <numerusform>%n возвратов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n journal event(s)</source>
        <translation>
            <numerusform>%n событие журнала</numerusform>
            <numerusform>%n события журнала</numerusform>
            <numerusform>%n событий журнала</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n запись</numerusform>
            <numerusform>%n записи</numerusform>
            <numerusform>%n записей</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n день</numerusform>
            <numerusform>%n дня</numerusform>
            <numerusform>%n дней</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n событие</numerusform>
            <numerusform>%n события</numerusform>
            <numerusform>%n событий</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new event(s)</source>
        <translation>
            <numerusform>%n новое событие</numerusform>
            <numerusform>%n новых события</numerusform>
            <numerusform>%n новых событий</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bundle(s)</source>
        <translation>
            <numerusform>%n пакет</numerusform>
            <numerusform>%n пакета</numerusform>
            <numerusform>%n пакетов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) of its own</source>
        <translation>
            <numerusform>%n собственное событие</numerusform>
            <numerusform>%n собственных события</numerusform>
            <numerusform>%n собственных событий</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n конфликт</numerusform>
            <numerusform>%n конфликта</numerusform>
            <numerusform>%n конфликтов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n продажа</numerusform>
            <numerusform>%n продажи</numerusform>
            <numerusform>%n продаж</numerusform>
        </translation>
    </message>
    <message>
        <source>Saved as {path}.</source>
        <translation>Сохранено в {path}.</translation>
    </message>
    <message>
        <source>Copied to {path}.</source>
        <translation>Копия записана в {path}.</translation>
    </message>
    <message>
        <source>Warning: {problem}</source>
        <translation>Внимание: {problem}</translation>
    </message>
    <message>
        <source>Wrote the customer&apos;s data to {path}: {rows}.</source>
        <translation>Данные клиента записаны в {path}: {rows}.</translation>
    </message>
    <message>
        <source>erasing cannot be undone; add --yes to confirm.</source>
        <translation>удаление нельзя отменить; добавьте --yes для подтверждения.</translation>
    </message>
    <message>
        <source>Erased the customer&apos;s personal data. Their {sales} and {points} stay in the books, without a name.</source>
        <translation>Личные данные клиента удалены. Его покупки ({sales}) и баллы ({points}) остаются в учёте, но без имени.</translation>
    </message>
    <message>
        <source>No change: consent was already given.</source>
        <translation>Ничего не изменилось: согласие уже было дано.</translation>
    </message>
    <message>
        <source>No change: consent was already withdrawn.</source>
        <translation>Ничего не изменилось: согласие уже было отозвано.</translation>
    </message>
    <message>
        <source>Consent given at {when}.</source>
        <translation>Согласие получено {when}.</translation>
    </message>
    <message>
        <source>Consent withdrawn at {when}.</source>
        <translation>Согласие отозвано {when}.</translation>
    </message>
    <message>
        <source>points on what is paid</source>
        <translation>баллы с оплаченной суммы</translation>
    </message>
    <message>
        <source>a discount off the check</source>
        <translation>скидка с чека</translation>
    </message>
    <message>
        <source>a discount and points</source>
        <translation>скидка и баллы</translation>
    </message>
    <message>
        <source>{day} {time}</source>
        <translation>{day} {time}</translation>
    </message>
    <message>
        <source>Program version {version} ({when}, {by}): {kind}</source>
        <translation>Программа, версия {version} ({when}, {by}): {kind}</translation>
    </message>
    <message>
        <source>{rate} % points</source>
        <translation>баллы {rate} %</translation>
    </message>
    <message>
        <source>{rate} % discount</source>
        <translation>скидка {rate} %</translation>
    </message>
    <message>
        <source>{tier}: from {threshold} paid — {rates}</source>
        <translation>{tier}: от {threshold} оплачено — {rates}</translation>
    </message>
    <message>
        <source>1 point = {value}; points pay up to {cap} % of a check; they expire after {days}</source>
        <translation>1 балл = {value}; баллами можно оплатить до {cap} % чека; они сгорают через {days}</translation>
    </message>
    <message>
        <source>1 point = {value}; points pay up to {cap} % of a check; they never expire</source>
        <translation>1 балл = {value}; баллами можно оплатить до {cap} % чека; они не сгорают</translation>
    </message>
    <message>
        <source>Welcome {welcome}, birthday {birthday} ({window}), referral {referrer}/{newcomer}</source>
        <translation>Приветственный {welcome}, день рождения {birthday} ({window}), за приглашение {referrer}/{newcomer}</translation>
    </message>
    <message>
        <source>±{days}</source>
        <translation>±{days}</translation>
    </message>
    <message>
        <source>Promotion: {label}</source>
        <translation>Акция: {label}</translation>
    </message>
    <message>
        <source>Overlapping promotions: the best one</source>
        <translation>Совпадающие акции: действует лучшая</translation>
    </message>
    <message>
        <source>Overlapping promotions: add up</source>
        <translation>Совпадающие акции: складываются</translation>
    </message>
    <message>
        <source>Categories: {list}</source>
        <translation>Категории: {list}</translation>
    </message>
    <message>
        <source>Default program</source>
        <translation>Программа по умолчанию</translation>
    </message>
    <message>
        <source>Imported from {file}</source>
        <translation>Загружено из {file}</translation>
    </message>
    <message>
        <source>Program version {version} written to {path}.</source>
        <translation>Программа версии {version} записана в {path}.</translation>
    </message>
    <message>
        <source>Saved as program version {version}:</source>
        <translation>Сохранено как версия программы {version}:</translation>
    </message>
    <message>
        <source>Card {card} written to {path} ({pages}).</source>
        <translation>Карта {card} записана в {path} ({pages}).</translation>
    </message>
    <message>
        <source>Reserved {cards} (batch {batch}): {first} … {last}; {sheets} written to {path}.</source>
        <translation>Зарезервировано: {cards} (партия {batch}): {first} … {last}; {sheets} записано в {path}.</translation>
    </message>
    <message>
        <source>Reserved {cards} (batch {batch}): {first} … {last}; {sheets} written to {path}, numbers to {csv}.</source>
        <translation>Зарезервировано: {cards} (партия {batch}): {first} … {last}; {sheets} записано в {path}, номера — в {csv}.</translation>
    </message>
    <message>
        <source>In stock {stock}, active {active}, blocked {blocked}, replaced {replaced}.</source>
        <translation>На складе {stock}, действуют {active}, заблокированы {blocked}, заменены {replaced}.</translation>
    </message>
    <message>
        <source>{batch}: {cards}, {in_stock} still in stock</source>
        <translation>{batch}: {cards}, ещё на складе: {in_stock}</translation>
    </message>
    <message>
        <source>Blocked at the desk</source>
        <translation>Заблокирована на стойке</translation>
    </message>
    <message>
        <source>active</source>
        <translation>действует</translation>
    </message>
    <message>
        <source>in stock</source>
        <translation>на складе</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>заблокирована</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>заменена</translation>
    </message>
    <message>
        <source>Card {card} ({name}) is blocked: {reason}.</source>
        <translation>Карта {card} ({name}) заблокирована: {reason}.</translation>
    </message>
    <message>
        <source>Card {card} is blocked: {reason}.</source>
        <translation>Карта {card} заблокирована: {reason}.</translation>
    </message>
    <message>
        <source>Card {card} works again (status {status}).</source>
        <translation>Карта {card} снова работает (статус: {status}).</translation>
    </message>
    <message>
        <source>{name} now has card {new} (card {old} no longer works); balance {points}.</source>
        <translation>{name}: теперь карта {new} (карта {old} больше не работает); баланс {points}.</translation>
    </message>
    <message>
        <source>Registered {name}: card {card}, balance {points}.</source>
        <translation>Зарегистрировано: {name}, карта {card}, баланс {points}.</translation>
    </message>
    <message>
        <source>{points} expire on {day}</source>
        <translation>Сгорание {day}: {points}</translation>
    </message>
    <message>
        <source>{name}  card {card}  phone {phone}</source>
        <translation>{name}  карта {card}  телефон {phone}</translation>
    </message>
    <message>
        <source>Balance {points}, tier {tier}, lifetime paid {paid}, {visits}</source>
        <translation>Баланс {points}, уровень {tier}, всего оплачено {paid}, {visits}</translation>
    </message>
    <message>
        <source>{amount} to {tier}</source>
        <translation>{amount} до уровня {tier}</translation>
    </message>
    <message>
        <source>{day} {time}  {amount}  paid {paid}  +{earned} −{spent}</source>
        <translation>{day} {time}  {amount}  оплачено {paid}  +{earned} −{spent}</translation>
    </message>
    <message>
        <source>, refunded {amount}</source>
        <translation>, возвращено {amount}</translation>
    </message>
    <message>
        <source>Card {card}: {points}, tier {tier}</source>
        <translation>Карта {card}: {points}, уровень {tier}</translation>
    </message>
    <message>
        <source>Columns: {columns}</source>
        <translation>Столбцы: {columns}</translation>
    </message>
    <message>
        <source>{rows}: {good} can be imported, {refused} would be refused; {points} opening points, {cards} new cards.</source>
        <translation>{rows}: можно загрузить {good}, будет отклонено {refused}; начальных баллов {points}, новых карт {cards}.</translation>
    </message>
    <message>
        <source>line {line}: {reasons}</source>
        <translation>строка {line}: {reasons}</translation>
    </message>
    <message>
        <source>Nothing was imported. Fix those rows, or run again with --skip-refused.</source>
        <translation>Ничего не загружено. Исправьте эти строки или запустите снова с --skip-refused.</translation>
    </message>
    <message>
        <source>Imported {customers} from {file} ({skipped} refused rows skipped, {points} opening points, {cards} new card numbers).</source>
        <translation>Загружено из {file}: {customers} (пропущено отклонённых строк: {skipped}, начальных баллов: {points}, новых номеров карт: {cards}).</translation>
    </message>
    <message>
        <source>Exported {customers} ({with_consent} agreed to messages) to {path}.</source>
        <translation>Выгружено в {path}: {customers} (согласны на сообщения: {with_consent}).</translation>
    </message>
    <message>
        <source>Expired {points} of {customers}.</source>
        <translation>{customers}: списано {points} по истечении срока.</translation>
    </message>
    <message>
        <source>No points were due to expire.</source>
        <translation>Сгорать было нечему.</translation>
    </message>
    <message>
        <source>customers</source>
        <translation>клиенты</translation>
    </message>
    <message>
        <source>sales</source>
        <translation>продажи</translation>
    </message>
    <message>
        <source>indexes</source>
        <translation>индексы</translation>
    </message>
    <message>
        <source>demo: {stage} {done}/{total}</source>
        <translation>демо: {stage} {done}/{total}</translation>
    </message>
    <message>
        <source>Demo data: {customers}, {sales} ({card_sales} with a card, {redemptions} paid partly with points), {refunds}, {birthday} birthday and {referral} referral bonuses, {expired} expired, {nps} NPS answers, {feedback} feedback notes; {seconds} s.</source>
        <translation>Демо-данные: {customers}, {sales} (с картой: {card_sales}, частично оплачено баллами: {redemptions}), {refunds}, бонусов ко дню рождения: {birthday}, за приглашение: {referral}, списано по сроку: {expired}, ответов NPS: {nps}, отзывов: {feedback}; {seconds} с.</translation>
    </message>
    <message>
        <source>All good: {customers}, {sales}, {events}; balances equal their ledgers.</source>
        <translation>Всё в порядке: {customers}, {sales}, {events}; балансы сходятся с историей баллов.</translation>
    </message>
    <message>
        <source>Problems found:</source>
        <translation>Найдены проблемы:</translation>
    </message>
    <message>
        <source>Owner PIN: </source>
        <translation>PIN владельца: </translation>
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
        <translation>Обязательства по баллам: {points} = {value}; сгорание в ближайшие 30 дней: {expiring} ({expiring_value}).</translation>
    </message>
    <message>
        <source>sale</source>
        <translation>продажа</translation>
    </message>
    <message>
        <source>refund</source>
        <translation>возврат</translation>
    </message>
    <message>
        <source>Quote: to pay {to_pay} without a card. Nothing was recorded.</source>
        <translation>Расчёт: к оплате {to_pay} без карты. Ничего не записано.</translation>
    </message>
    <message>
        <source>Quote: to pay {to_pay}, {spent} spent, {earned} earned, balance after {balance}. Nothing was recorded.</source>
        <translation>Расчёт: к оплате {to_pay}, списано {spent}, начислено {earned}, баланс после {balance}. Ничего не записано.</translation>
    </message>
    <message>
        <source>welcome bonus {points}</source>
        <translation>приветственный бонус {points}</translation>
    </message>
    <message>
        <source>birthday bonus {points}</source>
        <translation>бонус ко дню рождения {points}</translation>
    </message>
    <message>
        <source>referral bonus {points}</source>
        <translation>бонус за приглашение {points}</translation>
    </message>
    <message>
        <source>visit milestone bonus {points}</source>
        <translation>бонус за число визитов {points}</translation>
    </message>
    <message>
        <source>Sale {sale}: {to_pay} without a card.</source>
        <translation>Продажа {sale}: {to_pay} без карты.</translation>
    </message>
    <message>
        <source>Sale {sale}: to pay {to_pay}</source>
        <translation>Продажа {sale}: к оплате {to_pay}</translation>
    </message>
    <message>
        <source>{points} spent (−{value})</source>
        <translation>списано {points} (−{value})</translation>
    </message>
    <message>
        <source>discount {amount}</source>
        <translation>скидка {amount}</translation>
    </message>
    <message>
        <source>{points} earned</source>
        <translation>начислено {points}</translation>
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
        <translation>теперь уровень {tier}</translation>
    </message>
    <message>
        <source>(already recorded earlier; nothing charged again)</source>
        <translation>(уже записана раньше; повторно ничего не списано)</translation>
    </message>
    <message>
        <source>Refund {refund} was already made earlier ({amount} of the check); nothing was done now and there is nothing to give back.</source>
        <translation>Возврат {refund} уже был сделан раньше ({amount} из чека); сейчас ничего не сделано и выдавать ничего не нужно.</translation>
    </message>
    <message>
        <source>Refunded {amount} of the check: give back {money}, {returned} returned, {reversed} taken back.</source>
        <translation>Возврат {amount} из чека: выдайте {money}, возвращено {returned}, списано {reversed}.</translation>
    </message>
    <message>
        <source>Refunded {amount} of the check: give back {money}, {returned} returned, {reversed} taken back, balance {balance}.</source>
        <translation>Возврат {amount} из чека: выдайте {money}, возвращено {returned}, списано {reversed}, баланс {balance}.</translation>
    </message>
    <message>
        <source>Writing {events} of till {number} to a bundle…</source>
        <translation>Касса {number}: запись пакета ({events})…</translation>
    </message>
    <message>
        <source>Nothing new to export.</source>
        <translation>Нового для выгрузки нет.</translation>
    </message>
    <message>
        <source>Exported events {first}–{last} ({count}) to {path}.</source>
        <translation>События {first}–{last} ({count}) выгружены в {path}.</translation>
    </message>
    <message>
        <source>Checking and applying {events} of till {number}…</source>
        <translation>Касса {number}: проверка и применение ({events})…</translation>
    </message>
    <message>
        <source>Till {number}: {applied} applied, {skipped} already here.</source>
        <translation>Касса {number} — применено: {applied}; уже были здесь: {skipped}.</translation>
    </message>
    <message>
        <source>Pairing file for till {number} written to {path}. It holds the shop&apos;s key: carry it to the new till and delete it after use.</source>
        <translation>Файл подключения для кассы {number} записан в {path}. В нём ключ магазина: перенесите его на новую кассу и удалите после использования.</translation>
    </message>
    <message>
        <source>This is now till {number} (it was till {old}): the cards it gives from now on carry the new number. The other tills learn it with this till&apos;s next news.</source>
        <translation>Теперь это касса {number} (была касса {old}): карты, которые она выдаёт с этого момента, несут новый номер. Другие кассы узнают его из следующих новостей этой кассы.</translation>
    </message>
    <message>
        <source>This is now till {number} of {shop}. Import the other tills&apos; bundles (or pull from the hub) to get the customers.</source>
        <translation>Теперь это касса {number} магазина {shop}. Загрузите пакеты других касс (или получите данные с сервера синхронизации), чтобы получить клиентов.</translation>
    </message>
    <message>
        <source>Sync server: pushed {pushed}, applied {pulled} from other tills.</source>
        <translation>Сервер синхронизации — отправлено: {pushed}; применено от других касс: {pulled}.</translation>
    </message>
    <message>
        <source>Sync server: pushed {pushed}.</source>
        <translation>Сервер синхронизации — отправлено: {pushed}.</translation>
    </message>
    <message>
        <source>Sync server: applied {pulled} from other tills.</source>
        <translation>Сервер синхронизации — применено от других касс: {pulled}.</translation>
    </message>
    <message>
        <source>Wrote {events} of this till to {file}.</source>
        <translation>Записано в {file}: {events} этой кассы.</translation>
    </message>
    <message>
        <source>Nothing new of this till to write.</source>
        <translation>Нового у этой кассы для записи нет.</translation>
    </message>
    <message>
        <source>Applied {events} from {bundles}; {already} already here.</source>
        <translation>Получено {bundles} — применено: {events}; уже были здесь: {already}.</translation>
    </message>
    <message>
        <source>Refused {file}: {reason}</source>
        <translation>Отклонён {file}: {reason}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <source>This is till {number}: {own}, {waiting} not yet exported or pushed.</source>
        <translation>Это касса {number}: {own}, ещё не выгружено и не отправлено: {waiting}.</translation>
    </message>
    <message>
        <source>Last export/push: {sent}; last import/pull: {received}.</source>
        <translation>Последняя выгрузка/отправка: {sent}; последняя загрузка/получение: {received}.</translation>
    </message>
    <message>
        <source>Till {number}: {events} here.</source>
        <translation>Касса {number}: здесь {events}.</translation>
    </message>
    <message>
        <source>{conflicts} to look at: run `sync conflicts`.</source>
        <translation>Нужно посмотреть: {conflicts}; выполните `sync conflicts`.</translation>
    </message>
    <message>
        <source>points used twice on two tills offline (spent, or taken back by two refunds); the balance went below zero</source>
        <translation>баллы использованы дважды на двух кассах без связи (потрачены или списаны двумя возвратами); баланс ушёл ниже нуля</translation>
    </message>
    <message>
        <source>points taken back on one till were not known to another that gave points meanwhile; the balance is right, the points lots hold more</source>
        <translation>баллы, списанные на одной кассе, не были известны другой, которая тем временем начислила баллы; баланс верный, в партиях баллов больше</translation>
    </message>
    <message>
        <source>the same card was given to two customers</source>
        <translation>одну и ту же карту выдали двум клиентам</translation>
    </message>
    <message>
        <source>a sale was made with a card another till had blocked</source>
        <translation>продажа по карте, которую другая касса заблокировала</translation>
    </message>
    <message>
        <source>a sale was refunded on two tills offline; more money went back than its check</source>
        <translation>возврат одной продажи прошёл на двух кассах без связи; вернули больше денег, чем был чек</translation>
    </message>
    <message>
        <source>two tills use the same till number (one pairing file used on both); the card numbers they give out can clash: make a pairing file with a new number and join it on one of them (`sync pair-join`), which takes the new number</source>
        <translation>две кассы работают под одним номером (один файл подключения использован на обеих); номера выдаваемых ими карт могут совпасть: создайте файл подключения с новым номером и подключите по нему одну из них (`sync pair-join`) — она получит новый номер</translation>
    </message>
    <message>
        <source>No conflicts.</source>
        <translation>Конфликтов нет.</translation>
    </message>
    <message>
        <source>Marked as dealt with; the other tills hear of it with this till&apos;s next news.</source>
        <translation>Отмечено как решённое; другие кассы узнают об этом с ближайшими новостями этой кассы.</translation>
    </message>
</context>
<context>
    <name>CliHelp</name>
    <message>
        <source>database file (default: $LOYALTY_DB, else the user data folder)</source>
        <translation>файл базы данных (по умолчанию: $LOYALTY_DB, иначе папка данных пользователя)</translation>
    </message>
    <message>
        <source>print one JSON object</source>
        <translation>вывести один объект JSON</translation>
    </message>
    <message>
        <source>Loyalty-card terminal. Without a command it opens the till window.</source>
        <translation>Терминал карт лояльности. Без команды открывает окно кассы.</translation>
    </message>
    <message>
        <source>check that this installation works (database, sale, refund, card PDF) and exit</source>
        <translation>проверить, что установка работает (база, продажа, возврат, PDF карты), и выйти</translation>
    </message>
    <message>
        <source>make a verified backup now (into the backup folder, or to --out FILE)</source>
        <translation>сделать проверенную резервную копию сейчас (в папку копий или в --out ФАЙЛ)</translation>
    </message>
    <message>
        <source>write the backup to this file</source>
        <translation>записать копию в этот файл</translation>
    </message>
    <message>
        <source>replace the database with a backup (the current one is kept aside first)</source>
        <translation>заменить базу резервной копией (текущая сначала сохраняется отдельно)</translation>
    </message>
    <message>
        <source>the backup file to restore</source>
        <translation>файл копии для восстановления</translation>
    </message>
    <message>
        <source>block, unblock or replace a customer&apos;s card</source>
        <translation>заблокировать, разблокировать или заменить карту клиента</translation>
    </message>
    <message>
        <source>stop a card from working (lost, stolen)</source>
        <translation>остановить карту (потеряна, украдена)</translation>
    </message>
    <message>
        <source>the card number</source>
        <translation>номер карты</translation>
    </message>
    <message>
        <source>why, kept in the audit log</source>
        <translation>причина, сохраняется в журнале аудита</translation>
    </message>
    <message>
        <source>let a blocked card work again</source>
        <translation>снова разрешить заблокированную карту</translation>
    </message>
    <message>
        <source>give the card&apos;s owner a new card; balance and history follow them</source>
        <translation>выдать владельцу новую карту; баланс и история переходят на неё</translation>
    </message>
    <message>
        <source>the lost or damaged card&apos;s number</source>
        <translation>номер потерянной или повреждённой карты</translation>
    </message>
    <message>
        <source>a pre-printed card to give (default: a new number)</source>
        <translation>выдаваемая заранее напечатанная карта (по умолчанию: новый номер)</translation>
    </message>
    <message>
        <source>print loyalty cards and pre-numbered sheets</source>
        <translation>печать карт лояльности и листов с номерами</translation>
    </message>
    <message>
        <source>one card as a CR80 PDF (card printer)</source>
        <translation>одна карта в PDF формата CR80 (принтер карт)</translation>
    </message>
    <message>
        <source>the PDF file to write</source>
        <translation>PDF-файл для записи</translation>
    </message>
    <message>
        <source>add the back (terms, phone) as page 2</source>
        <translation>добавить оборот (условия, телефон) второй страницей</translation>
    </message>
    <message>
        <source>leave the holder&apos;s name off</source>
        <translation>не печатать имя владельца</translation>
    </message>
    <message>
        <source>reserve N new stock numbers and print them on A4 sheets of 10</source>
        <translation>зарезервировать N новых номеров и напечатать их на листах A4 по 10</translation>
    </message>
    <message>
        <source>how many cards</source>
        <translation>сколько карт</translation>
    </message>
    <message>
        <source>also write the numbers as CSV (print shop)</source>
        <translation>также записать номера в CSV (для типографии)</translation>
    </message>
    <message>
        <source>add back pages after each sheet (duplex, flip on the long edge)</source>
        <translation>добавить оборотные страницы после каждого листа (дуплекс, переворот по длинному краю)</translation>
    </message>
    <message>
        <source>how many cards of each status, and the batches</source>
        <translation>сколько карт в каждом статусе и партии</translation>
    </message>
    <message>
        <source>register or show a customer</source>
        <translation>зарегистрировать или показать клиента</translation>
    </message>
    <message>
        <source>register a customer and issue a card</source>
        <translation>зарегистрировать клиента и выдать карту</translation>
    </message>
    <message>
        <source>YYYY-MM-DD or DD.MM.YYYY</source>
        <translation>ГГГГ-ММ-ДД или ДД.ММ.ГГГГ</translation>
    </message>
    <message>
        <source>a pre-printed card to assign</source>
        <translation>заранее напечатанная карта для выдачи</translation>
    </message>
    <message>
        <source>the card of the customer who referred</source>
        <translation>карта клиента, который порекомендовал</translation>
    </message>
    <message>
        <source>agrees to receive messages</source>
        <translation>согласен получать сообщения</translation>
    </message>
    <message>
        <source>a customer by card or phone</source>
        <translation>клиент по карте или телефону</translation>
    </message>
    <message>
        <source>how many recent sales to list</source>
        <translation>сколько последних продаж показать</translation>
    </message>
    <message>
        <source>points balance of a card</source>
        <translation>баланс баллов карты</translation>
    </message>
    <message>
        <source>import customers from CSV or Excel</source>
        <translation>импорт клиентов из CSV или Excel</translation>
    </message>
    <message>
        <source>customers, their cards and opening balances from a .csv or .xlsx file</source>
        <translation>клиенты, их карты и начальные балансы из файла .csv или .xlsx</translation>
    </message>
    <message>
        <source>the .csv or .xlsx file; the first row holds headers</source>
        <translation>файл .csv или .xlsx; в первой строке заголовки</translation>
    </message>
    <message>
        <source>list the rows that would be refused; write nothing</source>
        <translation>показать строки, которые будут отклонены; ничего не записывать</translation>
    </message>
    <message>
        <source>import the good rows, leave the refused ones</source>
        <translation>импортировать хорошие строки, отклонённые пропустить</translation>
    </message>
    <message>
        <source>export customers to CSV or Excel</source>
        <translation>экспорт клиентов в CSV или Excel</translation>
    </message>
    <message>
        <source>every customer with consent status</source>
        <translation>все клиенты со статусом согласия</translation>
    </message>
    <message>
        <source>FILE.csv or FILE.xlsx</source>
        <translation>ФАЙЛ.csv или ФАЙЛ.xlsx</translation>
    </message>
    <message>
        <source>which column holds which field, e.g. name=Client,phone=3 (fields: {fields}); columns by header or 1-based number; the rest is guessed</source>
        <translation>какой столбец содержит какое поле, например name=Client,phone=3 (поля: {fields}); столбцы по заголовку или номеру с 1; остальное угадывается</translation>
    </message>
    <message>
        <source>verify balances, lots, journal and the database file</source>
        <translation>проверить балансы, партии баллов, журнал и файл базы</translation>
    </message>
    <message>
        <source>write off every customer&apos;s points whose expiry has come</source>
        <translation>списать у всех клиентов баллы с истёкшим сроком</translation>
    </message>
    <message>
        <source>fill a new, empty database with realistic customers and a year of sales</source>
        <translation>заполнить новую пустую базу правдоподобными клиентами и годом продаж</translation>
    </message>
    <message>
        <source>how many (default 1000)</source>
        <translation>сколько (по умолчанию 1000)</translation>
    </message>
    <message>
        <source>months of sales (default 12)</source>
        <translation>месяцев продаж (по умолчанию 12)</translation>
    </message>
    <message>
        <source>how many sales (default 10 per customer)</source>
        <translation>сколько продаж (по умолчанию 10 на клиента)</translation>
    </message>
    <message>
        <source>same seed, same data (default 1)</source>
        <translation>то же зерно — те же данные (по умолчанию 1)</translation>
    </message>
    <message>
        <source>must be at least 1</source>
        <translation>должно быть не меньше 1</translation>
    </message>
    <message>
        <source>“{text}” is not a whole number</source>
        <translation>«{text}» — не целое число</translation>
    </message>
    <message>
        <source>owner corrections of a customer&apos;s points</source>
        <translation>исправления баллов клиента владельцем</translation>
    </message>
    <message>
        <source>add (+N) or take away (-N) points, with a reason; needs the owner PIN</source>
        <translation>начислить (+N) или снять (-N) баллы с причиной; нужен PIN владельца</translation>
    </message>
    <message>
        <source>card, phone or customer id</source>
        <translation>карта, телефон или id клиента</translation>
    </message>
    <message>
        <source>e.g. +50 or -20</source>
        <translation>например +50 или -20</translation>
    </message>
    <message>
        <source>why: shown in the points history</source>
        <translation>причина: видна в истории баллов</translation>
    </message>
    <message>
        <source>the owner PIN (or set ${env}; else it is asked)</source>
        <translation>PIN владельца (или задайте ${env}; иначе он будет запрошен)</translation>
    </message>
    <message>
        <source>export or erase everything stored about a customer</source>
        <translation>выгрузить или стереть всё, что хранится о клиенте</translation>
    </message>
    <message>
        <source>write the customer&apos;s data to a JSON or PDF file</source>
        <translation>записать данные клиента в файл JSON или PDF</translation>
    </message>
    <message>
        <source>the file to write: .json, or .pdf for a printable copy</source>
        <translation>файл для записи: .json или .pdf для печатной копии</translation>
    </message>
    <message>
        <source>anonymize the customer (name, phone, e-mail, birthday); sales and points stay</source>
        <translation>обезличить клиента (имя, телефон, e-mail, день рождения); продажи и баллы остаются</translation>
    </message>
    <message>
        <source>confirm: this cannot be undone</source>
        <translation>подтвердить: это нельзя отменить</translation>
    </message>
    <message>
        <source>record a customer&apos;s yes or no to offers</source>
        <translation>записать согласие или отказ клиента от предложений</translation>
    </message>
    <message>
        <source>show, export or import the loyalty program</source>
        <translation>показать, выгрузить или загрузить программу лояльности</translation>
    </message>
    <message>
        <source>the program in force</source>
        <translation>действующая программа</translation>
    </message>
    <message>
        <source>an earlier version</source>
        <translation>более ранняя версия</translation>
    </message>
    <message>
        <source>write the program to a JSON file</source>
        <translation>записать программу в файл JSON</translation>
    </message>
    <message>
        <source>save a program from a JSON file as the next version</source>
        <translation>сохранить программу из файла JSON как следующую версию</translation>
    </message>
    <message>
        <source>every saved version</source>
        <translation>все сохранённые версии</translation>
    </message>
    <message>
        <source>loyalty KPIs for a period beside the previous period (the owner&apos;s dashboard)</source>
        <translation>показатели лояльности за период рядом с предыдущим периодом (панель владельца)</translation>
    </message>
    <message>
        <source>first day, YYYY-MM-DD</source>
        <translation>первый день, ГГГГ-ММ-ДД</translation>
    </message>
    <message>
        <source>last day, YYYY-MM-DD</source>
        <translation>последний день, ГГГГ-ММ-ДД</translation>
    </message>
    <message>
        <source>“{text}” is not a date like 2026-01-31</source>
        <translation>«{text}» — не дата вида 2026-01-31</translation>
    </message>
    <message>
        <source>record a sale on a card (or without one)</source>
        <translation>записать продажу по карте (или без неё)</translation>
    </message>
    <message>
        <source>card number; omit for a sale without a card</source>
        <translation>номер карты; не указывайте для продажи без карты</translation>
    </message>
    <message>
        <source>check amount, e.g. 123.45 or 123,45</source>
        <translation>сумма чека, например 123.45 или 123,45</translation>
    </message>
    <message>
        <source>none, max or a number of points</source>
        <translation>none, max или число баллов</translation>
    </message>
    <message>
        <source>client sale UUID (idempotent)</source>
        <translation>UUID продажи от клиента (повтор безопасен)</translation>
    </message>
    <message>
        <source>show the quote, record nothing</source>
        <translation>показать расчёт, ничего не записывать</translation>
    </message>
    <message>
        <source>refund a sale in full or in part</source>
        <translation>вернуть продажу полностью или частично</translation>
    </message>
    <message>
        <source>the sale id</source>
        <translation>id продажи</translation>
    </message>
    <message>
        <source>part of the check to refund</source>
        <translation>часть чека для возврата</translation>
    </message>
    <message>
        <source>client refund UUID</source>
        <translation>UUID возврата от клиента</translation>
    </message>
    <message>
        <source>share customers and sales with the shop&apos;s other tills</source>
        <translation>обмен клиентами и продажами с другими кассами магазина</translation>
    </message>
    <message>
        <source>write this till&apos;s new events to a signed bundle</source>
        <translation>записать новые события этой кассы в подписанный пакет</translation>
    </message>
    <message>
        <source>folder for the bundle file</source>
        <translation>папка для файла пакета</translation>
    </message>
    <message>
        <source>export events after this sequence number (default: after the last export/push; 0 exports everything)</source>
        <translation>выгрузить события после этого номера (по умолчанию: после последней выгрузки/отправки; 0 выгружает всё)</translation>
    </message>
    <message>
        <source>verify and apply another till&apos;s bundle</source>
        <translation>проверить и применить пакет другой кассы</translation>
    </message>
    <message>
        <source>make a one-time pairing file for a new till</source>
        <translation>создать одноразовый файл привязки для новой кассы</translation>
    </message>
    <message>
        <source>the new till&apos;s number (1-99)</source>
        <translation>номер новой кассы (1-99)</translation>
    </message>
    <message>
        <source>where to write the pairing file</source>
        <translation>куда записать файл привязки</translation>
    </message>
    <message>
        <source>join a shop with a pairing file (new till only)</source>
        <translation>подключиться к магазину по файлу привязки (только новая касса)</translation>
    </message>
    <message>
        <source>send this till&apos;s new events to the hub</source>
        <translation>отправить новые события этой кассы на сервер</translation>
    </message>
    <message>
        <source>fetch and apply the other tills&apos; events from the hub</source>
        <translation>получить с сервера и применить события других касс</translation>
    </message>
    <message>
        <source>push, then pull</source>
        <translation>отправить, затем получить</translation>
    </message>
    <message>
        <source>one round of folder sync: write this till&apos;s news to DIR, apply other tills&apos; bundles found there</source>
        <translation>один цикл синхронизации через папку: записать новое этой кассы в DIR, применить найденные там пакеты других касс</translation>
    </message>
    <message>
        <source>the shared or USB folder the tills sync through</source>
        <translation>общая или USB-папка, через которую синхронизируются кассы</translation>
    </message>
    <message>
        <source>till number, events waiting, peers</source>
        <translation>номер кассы, ожидающие события, другие кассы</translation>
    </message>
    <message>
        <source>list what two tills did offline that the owner should look at</source>
        <translation>показать, что две кассы сделали офлайн и что стоит проверить владельцу</translation>
    </message>
    <message>
        <source>mark a conflict as dealt with: it leaves the list here, and on the other tills with this till&apos;s next news</source>
        <translation>отметить конфликт как решённый: он уйдёт из списка здесь и на других кассах с ближайшими новостями этой кассы</translation>
    </message>
    <message>
        <source>the conflict, as `sync conflicts` shows it</source>
        <translation>конфликт, как его показывает `sync conflicts`</translation>
    </message>
    <message>
        <source>postgresql://user@host:port/database</source>
        <translation>postgresql://пользователь@хост:порт/база</translation>
    </message>
</context>
<context>
    <name>CounterScreen</name>
    <message>
        <source>Find</source>
        <translation>Найти</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>Новый клиент</translation>
    </message>
    <message>
        <source>Camera  {key}</source>
        <translation>Камера  {key}</translation>
    </message>
    <message>
        <source>Read a card or a phone&apos;s QR code with the webcam</source>
        <translation>Считать карту или QR-код с телефона веб-камерой</translation>
    </message>
    <message>
        <source>Who is at the till: sales are recorded as theirs</source>
        <translation>Кто на кассе: продажи записываются на этого человека</translation>
    </message>
    <message>
        <source>Who is at the till? Type your PIN on the right.</source>
        <translation>Кто на кассе? Введите свой PIN справа.</translation>
    </message>
    <message>
        <source>●  Ready — scan the next card</source>
        <translation>●  Готово — сканируйте следующую карту</translation>
    </message>
    <message>
        <source>Cashier: {name}  ·  Switch  {key}</source>
        <translation>Кассир: {name}  ·  Сменить  {key}</translation>
    </message>
    <message>
        <source>Nobody at the till</source>
        <translation>На кассе никого</translation>
    </message>
    <message>
        <source>No cashiers are set up, so nobody needs to sign in. The owner adds cashiers on the Staff screen (Ctrl+F10).</source>
        <translation>Кассиры не заведены, поэтому входить не нужно. Владелец добавляет кассиров на экране «Персонал» (Ctrl+F10).</translation>
    </message>
    <message>
        <source>Hello, {name}! Sales are now recorded as yours.</source>
        <translation>Здравствуйте, {name}! Теперь продажи записываются на вас.</translation>
    </message>
    <message>
        <source>Sale without a card: type the amount and press Enter.</source>
        <translation>Продажа без карты: введите сумму и нажмите Enter.</translation>
    </message>
    <message>
        <source>Type your PIN first: registrations are recorded as yours.</source>
        <translation>Сначала введите свой PIN: регистрации записываются на вас.</translation>
    </message>
    <message>
        <source>Welcome, {name}! Card {card} is theirs, with {points} welcome points.</source>
        <translation>Добро пожаловать, {name}! Карта {card} теперь ваша, приветственных баллов: {points}.</translation>
    </message>
    <message>
        <source>This customer has no working card. Give them a new one at the desk (F2).</source>
        <translation>У клиента нет действующей карты. Выдайте новую на стойке клиентов (F2).</translation>
    </message>
    <message>
        <source>Scan the customer&apos;s card first, or press F5 for a sale without a card.</source>
        <translation>Сначала отсканируйте карту клиента или нажмите F5 для продажи без карты.</translation>
    </message>
    <message>
        <source>Type the amount first.</source>
        <translation>Сначала введите сумму.</translation>
    </message>
    <message>
        <source>Type your PIN: the sale is saved as soon as you are signed in.</source>
        <translation>Введите свой PIN: продажа сохранится, как только вы войдёте.</translation>
    </message>
    <message>
        <source>The database is still busy. Nothing was charged; press Enter to try again.</source>
        <translation>База данных всё ещё занята. Ничего не списано; нажмите Enter, чтобы повторить.</translation>
    </message>
    <message>
        <source>Sale saved: {money}. No card? Offer one — F4 registers them in a minute.</source>
        <translation>Продажа сохранена: {money}. Нет карты? Предложите — F4 зарегистрирует клиента за минуту.</translation>
    </message>
    <message>
        <source>Welcome to {tier}!</source>
        <translation>Добро пожаловать на уровень {tier}!</translation>
    </message>
    <message>
        <source>To pay: {money}</source>
        <translation>К оплате: {money}</translation>
    </message>
    <message>
        <source>Thank you! Score {score} saved. Scan the next card.</source>
        <translation>Спасибо! Оценка {score} сохранена. Сканируйте следующую карту.</translation>
    </message>
    <message>
        <source>Printing the slip again…</source>
        <translation>Печатаем чек повторно…</translation>
    </message>
    <message>
        <source>Slip printed.</source>
        <translation>Чек напечатан.</translation>
    </message>
    <message>
        <source>{key} prints it again.</source>
        <translation>{key} — напечатать ещё раз.</translation>
    </message>
    <message>
        <source>The sale is saved. {problem}</source>
        <translation>Продажа сохранена. {problem}</translation>
    </message>
    <message>
        <source>Scan the customer&apos;s card first, then press Ctrl+M.</source>
        <translation>Сначала отсканируйте карту клиента, затем нажмите Ctrl+M.</translation>
    </message>
    <message>
        <source>Thank you: the owner will read it in Feedback (F10).</source>
        <translation>Спасибо: владелец прочитает это в разделе «Отзывы» (F10).</translation>
    </message>
    <message numerus="yes">
        <source>Signed out after %n minute(s) without a key press. Who is at the till?</source>
        <translation>
            <numerusform>Выход после %n минуты без нажатия клавиш. Кто за кассой?</numerusform>
            <numerusform>Выход после %n минут без нажатия клавиш. Кто за кассой?</numerusform>
            <numerusform>Выход после %n минут без нажатия клавиш. Кто за кассой?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You used %n point(s) ({money}).</source>
        <translation>
            <numerusform>Списан %n балл ({money}).</numerusform>
            <numerusform>Списано %n балла ({money}).</numerusform>
            <numerusform>Списано %n баллов ({money}).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You earned %n point(s) and a {bonus}-point bonus, balance {balance}.</source>
        <translation>
            <numerusform>Начислен %n балл, бонус: {bonus}, баланс: {balance}.</numerusform>
            <numerusform>Начислено %n балла, бонус: {bonus}, баланс: {balance}.</numerusform>
            <numerusform>Начислено %n баллов, бонус: {bonus}, баланс: {balance}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You earned %n point(s), balance {balance}.</source>
        <translation>
            <numerusform>Начислен %n балл, баланс: {balance}.</numerusform>
            <numerusform>Начислено %n балла, баланс: {balance}.</numerusform>
            <numerusform>Начислено %n баллов, баланс: {balance}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerDesk</name>
    <message>
        <source>Name, phone or card, then Enter</source>
        <translation>Имя, телефон или карта, затем Enter</translation>
    </message>
    <message>
        <source>Find a customer on the left</source>
        <translation>Найдите клиента слева</translation>
    </message>
    <message>
        <source>Refund  Ctrl+R</source>
        <translation>Возврат  Ctrl+R</translation>
    </message>
    <message>
        <source>New card  Ctrl+L</source>
        <translation>Новая карта  Ctrl+L</translation>
    </message>
    <message>
        <source>Block  Ctrl+B</source>
        <translation>Заблокировать  Ctrl+B</translation>
    </message>
    <message>
        <source>Unblock  Ctrl+U</source>
        <translation>Разблокировать  Ctrl+U</translation>
    </message>
    <message>
        <source>Serve  Ctrl+Enter</source>
        <translation>Обслужить  Ctrl+Enter</translation>
    </message>
    <message>
        <source>Print card  Ctrl+P</source>
        <translation>Печать карты  Ctrl+P</translation>
    </message>
    <message>
        <source>Complaint / suggestion  Ctrl+M</source>
        <translation>Жалоба / предложение  Ctrl+M</translation>
    </message>
    <message>
        <source>Adjust points (owner)  Ctrl+J</source>
        <translation>Корректировать баллы (владелец)  Ctrl+J</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Продажи</translation>
    </message>
    <message>
        <source>Points history</source>
        <translation>История баллов</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>Возвраты</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Данные</translation>
    </message>
    <message>
        <source>e.g. 31.12.1990</source>
        <translation>напр. 31.12.1990</translation>
    </message>
    <message>
        <source>Agrees to receive messages</source>
        <translation>Согласен получать сообщения</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День рождения</translation>
    </message>
    <message>
        <source>Save details  Ctrl+S</source>
        <translation>Сохранить данные  Ctrl+S</translation>
    </message>
    <message>
        <source>Nobody matches “{text}”.</source>
        <translation>Никто не подходит под «{text}».</translation>
    </message>
    <message>
        <source>no card</source>
        <translation>нет карты</translation>
    </message>
    <message>
        <source>{tier} · balance {points} points · paid {paid} in {visits} visits · member since {since}
Cards: {cards}</source>
        <translation>{tier} · баланс {points} б. · оплачено {paid}, визитов: {visits} · клиент с {since}
Карты: {cards}</translation>
    </message>
    <message>
        <source>Sign in at the counter first (F1): refunds and card changes are recorded as the cashier&apos;s.</source>
        <translation>Сначала войдите на кассе (F1): возвраты и действия с картами записываются на кассира.</translation>
    </message>
    <message>
        <source>Pick the sale to refund in the Sales list first.</source>
        <translation>Сначала выберите продажу для возврата в списке «Продажи».</translation>
    </message>
    <message>
        <source>This sale was already refunded in full.</source>
        <translation>Эта продажа уже полностью возвращена.</translation>
    </message>
    <message>
        <source>Refunded {money}: {back} points given back, {taken} taken back.</source>
        <translation>Возвращено {money}: баллов возвращено — {back}, списано обратно — {taken}.</translation>
    </message>
    <message>
        <source>Block card</source>
        <translation>Заблокировать карту</translation>
    </message>
    <message>
        <source>Why is card {card} blocked? (lost, stolen, misused)</source>
        <translation>Почему карта {card} блокируется? (утеряна, украдена, злоупотребление)</translation>
    </message>
    <message>
        <source>Card {card} is blocked. Replace it with Ctrl+L when the customer gets a new card.</source>
        <translation>Карта {card} заблокирована. Замените её через Ctrl+L, когда клиент получит новую карту.</translation>
    </message>
    <message>
        <source>Card {card} works again.</source>
        <translation>Карта {card} снова работает.</translation>
    </message>
    <message>
        <source>Replace lost card</source>
        <translation>Заменить утерянную карту</translation>
    </message>
    <message>
        <source>Scan the new pre-printed card, or leave empty to issue a new number.</source>
        <translation>Отсканируйте новую предпечатанную карту или оставьте пустым, чтобы выдать новый номер.</translation>
    </message>
    <message>
        <source>New card {card}; the old one no longer works. Balance {points} points kept.</source>
        <translation>Новая карта {card}; старая больше не работает. Баланс сохранён: {points} б.</translation>
    </message>
    <message>
        <source>Details saved.</source>
        <translation>Данные сохранены.</translation>
    </message>
    <message>
        <source>Only the owner can adjust points.</source>
        <translation>Корректировать баллы может только владелец.</translation>
    </message>
    <message>
        <source>Points adjusted by {points}: balance {balance}. Reason: {reason}</source>
        <translation>Баллы скорректированы на {points}: баланс {balance}. Причина: {reason}</translation>
    </message>
    <message>
        <source>Thank you: the owner will read it in Feedback (F10).</source>
        <translation>Спасибо: владелец прочитает это в разделе «Отзывы» (F10).</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <source>Only one screen is connected, so there is nowhere to show the customer display. Connect a second monitor facing the customer (HDMI or VGA), and it will appear here.</source>
        <translation>Подключён только один экран, поэтому экран покупателя показать негде. Подключите второй монитор, обращённый к покупателю (HDMI или VGA), и он появится здесь.</translation>
    </message>
    <message>
        <source>Customer display</source>
        <translation>Экран покупателя</translation>
    </message>
    <message>
        <source>Your points</source>
        <translation>Ваши баллы</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Начислено баллов</translation>
    </message>
    <message>
        <source>New balance</source>
        <translation>Новый баланс</translation>
    </message>
    <message>
        <source>How likely are you to recommend us to a friend?</source>
        <translation>Насколько вероятно, что вы порекомендуете нас другу?</translation>
    </message>
    <message>
        <source>0 — not at all</source>
        <translation>0 — точно нет</translation>
    </message>
    <message>
        <source>10 — certainly</source>
        <translation>10 — обязательно</translation>
    </message>
    <message>
        <source>Tell the cashier your number.</source>
        <translation>Назовите кассиру вашу оценку.</translation>
    </message>
    <message>
        <source>Ask for a loyalty card!</source>
        <translation>Спросите карту лояльности!</translation>
    </message>
    <message>
        <source>Thank you! Your answer helps us do better.</source>
        <translation>Спасибо! Ваш ответ помогает нам стать лучше.</translation>
    </message>
    <message>
        <source>{low}% of every purchase back in points, up to {high}% at {tier}</source>
        <translation>{low}% от каждой покупки возвращается баллами, до {high}% на уровне {tier}</translation>
    </message>
    <message>
        <source>{low}% of every purchase back in points</source>
        <translation>{low}% от каждой покупки возвращается баллами</translation>
    </message>
    <message>
        <source>1 point = {money}; points pay up to {cap}% of a purchase</source>
        <translation>1 балл = {money}; баллами можно оплатить до {cap}% покупки</translation>
    </message>
    <message>
        <source>Discounts up to {pct}% at {tier}</source>
        <translation>Скидки до {pct}% на уровне {tier}</translation>
    </message>
    <message>
        <source>{points} points as a welcome gift</source>
        <translation>Приветственный подарок — баллов: {points}</translation>
    </message>
    <message>
        <source>{points} points for your birthday</source>
        <translation>Баллов в подарок на день рождения: {points}</translation>
    </message>
    <message>
        <source>Points stay valid for a year</source>
        <translation>Баллы действуют год</translation>
    </message>
    <message>
        <source>Points stay valid for {n} years</source>
        <translation>Баллы действуют {n} г.</translation>
    </message>
    <message>
        <source>Points stay valid for {n} days</source>
        <translation>Баллы действуют {n} дн.</translation>
    </message>
    <message>
        <source>Hello, {name}!</source>
        <translation>Здравствуйте, {name}!</translation>
    </message>
    <message>
        <source>Happy birthday! 🎉</source>
        <translation>С днём рождения! 🎉</translation>
    </message>
    <message>
        <source>Hello!</source>
        <translation>Здравствуйте!</translation>
    </message>
    <message>
        <source>Thank you, {name}!</source>
        <translation>Спасибо, {name}!</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>Спасибо!</translation>
    </message>
    <message>
        <source>You paid with {points} points</source>
        <translation>Оплачено баллами: {points}</translation>
    </message>
    <message>
        <source>Welcome to {tier}!</source>
        <translation>Добро пожаловать на уровень {tier}!</translation>
    </message>
    <message>
        <source>{tier} — our highest level</source>
        <translation>{tier} — наш высший уровень</translation>
    </message>
    <message>
        <source>{tier} · {money} more to {next}</source>
        <translation>{tier} · до уровня {next} осталось {money}</translation>
    </message>
</context>
<context>
    <name>CustomerLookup</name>
    <message>
        <source>Find a customer: card, phone or name, then Enter</source>
        <translation>Найти клиента: карта, телефон или имя, затем Enter</translation>
    </message>
    <message>
        <source>Nobody matches “{text}”. Try the phone&apos;s last digits or part of the name; F4 registers a new customer.</source>
        <translation>Никто не подходит под «{text}». Попробуйте последние цифры телефона или часть имени; F4 — новый клиент.</translation>
    </message>
    <message>
        <source>{n} customers match. Pick one with the arrow keys and Enter; Esc goes back.</source>
        <translation>Найдено клиентов: {n}. Выберите стрелками и нажмите Enter; Esc — назад.</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>Scan the customer&apos;s card</source>
        <translation>Отсканируйте карту клиента</translation>
    </message>
    <message>
        <source>The till is ready: scan at any time, even while typing.</source>
        <translation>Касса готова: сканируйте в любой момент, даже во время ввода.</translation>
    </message>
    <message>
        <source>Find by card number, phone or name</source>
        <translation>Поиск по номеру карты, телефону или имени</translation>
    </message>
    <message>
        <source>Register a new customer</source>
        <translation>Зарегистрировать нового клиента</translation>
    </message>
    <message>
        <source>Sale without a card</source>
        <translation>Продажа без карты</translation>
    </message>
    <message>
        <source>Complaint / suggestion  Ctrl+M</source>
        <translation>Жалоба / предложение  Ctrl+M</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Баланс</translation>
    </message>
    <message>
        <source>Next tier</source>
        <translation>Следующий уровень</translation>
    </message>
    <message>
        <source>Last visits</source>
        <translation>Последние визиты</translation>
    </message>
    <message>
        <source>First visit — welcome them!</source>
        <translation>Первый визит — поприветствуйте клиента!</translation>
    </message>
    <message>
        <source>{screen}: history, refunds, lost cards</source>
        <translation>{screen}: история, возвраты, утерянные карты</translation>
    </message>
    <message>
        <source>{points} pts</source>
        <translation>{points} б.</translation>
    </message>
    <message>
        <source>{money} to {tier}</source>
        <translation>{money} до уровня {tier}</translation>
    </message>
    <message>
        <source>Top tier reached</source>
        <translation>Достигнут высший уровень</translation>
    </message>
    <message>
        <source>Negative balance: a refund took back points already spent. No points can be spent until it is settled.</source>
        <translation>Отрицательный баланс: возврат забрал уже потраченные баллы. Тратить баллы нельзя, пока баланс не восстановится.</translation>
    </message>
    <message>
        <source>Birthday on {day} — wish them a happy birthday!</source>
        <translation>День рождения {day} — поздравьте клиента!</translation>
    </message>
    <message>
        <source>This purchase takes them to {tier}!</source>
        <translation>С этой покупкой клиент переходит на уровень {tier}!</translation>
    </message>
    <message>
        <source>This is their visit number {n} — thank them for coming back!</source>
        <translation>Это визит номер {n} — поблагодарите за то, что клиент вернулся!</translation>
    </message>
    <message>
        <source>One year with us today — thank them for their loyalty!</source>
        <translation>Сегодня год с нами — поблагодарите за верность!</translation>
    </message>
    <message>
        <source>{n} years with us — thank them for their loyalty!</source>
        <translation>Лет с нами: {n} — поблагодарите за верность!</translation>
    </message>
    <message>
        <source>{points} points expire on {day} — offer to use them.</source>
        <translation>{day} сгорят баллы: {points} — предложите их потратить.</translation>
    </message>
    <message numerus="yes">
        <source>Card {card}{phone} · %n visit(s)</source>
        <translation>
            <numerusform>Карта {card}{phone} · %n визит</numerusform>
            <numerusform>Карта {card}{phone} · %n визита</numerusform>
            <numerusform>Карта {card}{phone} · %n визитов</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DamagedDatabase</name>
    <message>
        <source>Cannot open the database</source>
        <translation>Не удаётся открыть базу данных</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>Резервная копия восстановлена</translation>
    </message>
    <message>
        <source>The database %1 is damaged or is not a loyalty terminal database.</source>
        <translation>База данных %1 повреждена или не является базой терминала лояльности.</translation>
    </message>
    <message>
        <source>The newest backup was made on %1. Put it back now? Sales since then are not in it; the damaged file is kept next to the backups.</source>
        <translation>Последняя резервная копия сделана %1. Восстановить её сейчас? Продаж после неё в ней нет; повреждённый файл сохраняется рядом с резервными копиями.</translation>
    </message>
    <message>
        <source>Restore the backup of %1</source>
        <translation>Восстановить копию от %1</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>Points liability</source>
        <translation>Обязательства по баллам</translation>
    </message>
    <message>
        <source>Live points (not yet spent or expired) × the value of one point; below: what expires in the next 30 days.</source>
        <translation>Действующие баллы (ещё не потраченные и не сгоревшие) × стоимость одного балла; ниже — что сгорит в ближайшие 30 дней.</translation>
    </message>
    <message>
        <source>Sales by week</source>
        <translation>Продажи по неделям</translation>
    </message>
    <message>
        <source>Members by week</source>
        <translation>Участники по неделям</translation>
    </message>
    <message>
        <source>Members by tier</source>
        <translation>Участники по уровням</translation>
    </message>
    <message>
        <source>NPS by month</source>
        <translation>NPS по месяцам</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Отчёты</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Сохранить в PDF…</translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation>Сохранить в CSV…</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Активные</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Новые</translation>
    </message>
    <message>
        <source>Counting… (large shops take a while)</source>
        <translation>Считаем… (в больших магазинах это занимает время)</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>Жалоба</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>Предложение</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>Благодарность</translation>
    </message>
    <message>
        <source>Save the dashboard as PDF</source>
        <translation>Сохранить панель в PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Файлы PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Loyalty dashboard</source>
        <translation>Панель программы лояльности</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Продажи</translation>
    </message>
    <message>
        <source>Spent</source>
        <translation>Потрачено</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Баллы</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>Последний визит</translation>
    </message>
    <message>
        <source>Days away</source>
        <translation>Дней отсутствует</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Визиты</translation>
    </message>
    <message>
        <source>Spent in all</source>
        <translation>Потрачено всего</translation>
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
        <translation>Что сказано</translation>
    </message>
    <message>
        <source>Cohort retention</source>
        <translation>Удержание по когортам</translation>
    </message>
    <message>
        <source>Top customers</source>
        <translation>Лучшие клиенты</translation>
    </message>
    <message>
        <source>Call-back list</source>
        <translation>Кому перезвонить</translation>
    </message>
    <message>
        <source>Open feedback</source>
        <translation>Открытые отзывы</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Последние 30 дней</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Этот месяц</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Прошлый месяц</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Последние 90 дней</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>Последние 12 месяцев</translation>
    </message>
    <message>
        <source>Chosen dates</source>
        <translation>Выбранные даты</translation>
    </message>
    <message>
        <source>from</source>
        <translation>с</translation>
    </message>
    <message>
        <source>to</source>
        <translation>по</translation>
    </message>
    <message>
        <source>The figures could not be counted right now. The figures shown are from before; try again in a moment, or make a backup and tell support.</source>
        <translation>Сейчас не удалось посчитать показатели. Показаны прежние цифры; попробуйте чуть позже или сделайте резервную копию и сообщите в поддержку.</translation>
    </message>
    <message>
        <source>Cohort</source>
        <translation>Когорта</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Участники</translation>
    </message>
    <message>
        <source>%1 expire in 30 days</source>
        <translation>%1 сгорит за 30 дней</translation>
    </message>
    <message>
        <source>Revenue, %1</source>
        <translation>Выручка, %1</translation>
    </message>
    <message>
        <source>before: %1</source>
        <translation>ранее: %1</translation>
    </message>
    <message>
        <source>(no customer)</source>
        <translation>(без клиента)</translation>
    </message>
    <message>
        <source>compared with %1 – %2</source>
        <translation>по сравнению с %1 – %2</translation>
    </message>
    <message>
        <source>Loyalty dashboard, %1 – %2 (%3)</source>
        <translation>Панель программы лояльности, %1 – %2 (%3)</translation>
    </message>
    <message>
        <source>Active members</source>
        <translation>Активные участники</translation>
    </message>
    <message>
        <source>Members who bought at least once in the period.</source>
        <translation>Участники, купившие хотя бы раз за период.</translation>
    </message>
    <message>
        <source>New members</source>
        <translation>Новые участники</translation>
    </message>
    <message>
        <source>Customers registered in the period.</source>
        <translation>Клиенты, зарегистрированные за период.</translation>
    </message>
    <message>
        <source>Participation</source>
        <translation>Участие</translation>
    </message>
    <message>
        <source>Sales with a card ÷ all sales.</source>
        <translation>Продажи с картой ÷ все продажи.</translation>
    </message>
    <message>
        <source>Repeat purchase rate</source>
        <translation>Доля повторных покупок</translation>
    </message>
    <message>
        <source>Active members with 2 or more purchases ÷ active members.</source>
        <translation>Активные участники с 2 и более покупками ÷ активные участники.</translation>
    </message>
    <message>
        <source>Purchase frequency</source>
        <translation>Частота покупок</translation>
    </message>
    <message>
        <source>Sales with a card ÷ active members.</source>
        <translation>Продажи с картой ÷ активные участники.</translation>
    </message>
    <message>
        <source>Average check</source>
        <translation>Средний чек</translation>
    </message>
    <message>
        <source>Sum of check amounts ÷ number of sales (all sales).</source>
        <translation>Сумма чеков ÷ число продаж (все продажи).</translation>
    </message>
    <message>
        <source>Average check, members</source>
        <translation>Средний чек участников</translation>
    </message>
    <message>
        <source>Sum of members&apos; check amounts ÷ members&apos; sales.</source>
        <translation>Сумма чеков участников ÷ продажи участников.</translation>
    </message>
    <message>
        <source>Average first check</source>
        <translation>Средний первый чек</translation>
    </message>
    <message>
        <source>Average check of members&apos; very first purchases made in the period.</source>
        <translation>Средний чек самых первых покупок участников за период.</translation>
    </message>
    <message>
        <source>Average repeat check</source>
        <translation>Средний повторный чек</translation>
    </message>
    <message>
        <source>Average check of members&apos; purchases that were not their first.</source>
        <translation>Средний чек покупок участников, кроме первой.</translation>
    </message>
    <message>
        <source>Customer lifetime value</source>
        <translation>Пожизненная ценность клиента</translation>
    </message>
    <message>
        <source>All members&apos; purchases up to the period&apos;s end ÷ members registered by then.</source>
        <translation>Все покупки участников до конца периода ÷ участники, зарегистрированные к тому времени.</translation>
    </message>
    <message>
        <source>Retention (CRR)</source>
        <translation>Удержание (CRR)</translation>
    </message>
    <message>
        <source>Members active in the previous period who bought again in this one ÷ members active in the previous period.</source>
        <translation>Участники, активные в прошлом периоде и купившие снова в этом ÷ участники, активные в прошлом периоде.</translation>
    </message>
    <message>
        <source>Churn</source>
        <translation>Отток</translation>
    </message>
    <message>
        <source>100 % − retention.</source>
        <translation>100 % − удержание.</translation>
    </message>
    <message>
        <source>Points issued</source>
        <translation>Начислено баллов</translation>
    </message>
    <message>
        <source>Earned + welcome + birthday + referral + milestone + positive adjustments − points taken back by refunds and negative adjustments.</source>
        <translation>Начисленные + приветственные + на день рождения + реферальные + за визиты + положительные корректировки − баллы, списанные при возвратах, и отрицательные корректировки.</translation>
    </message>
    <message>
        <source>Points redeemed</source>
        <translation>Потрачено баллов</translation>
    </message>
    <message>
        <source>Points spent on purchases − points returned by refunds.</source>
        <translation>Баллы, потраченные на покупки − баллы, возвращённые при возвратах.</translation>
    </message>
    <message>
        <source>Points expired</source>
        <translation>Сгорело баллов</translation>
    </message>
    <message>
        <source>Points written off because their expiry date came.</source>
        <translation>Баллы, списанные по истечении срока действия.</translation>
    </message>
    <message>
        <source>Redemption rate</source>
        <translation>Доля использования баллов</translation>
    </message>
    <message>
        <source>Points redeemed ÷ points issued in the period.</source>
        <translation>Потраченные баллы ÷ начисленные баллы за период.</translation>
    </message>
    <message>
        <source>NPS</source>
        <translation>NPS</translation>
    </message>
    <message>
        <source>% promoters (9–10) − % detractors (0–6) among the answers at the counter; −100 to 100.</source>
        <translation>% промоутеров (9–10) − % критиков (0–6) среди ответов на кассе; от −100 до 100.</translation>
    </message>
    <message>
        <source>CSAT</source>
        <translation>CSAT</translation>
    </message>
    <message>
        <source>Answers of 8, 9 or 10 ÷ all answers to the counter&apos;s 0–10 question.</source>
        <translation>Ответы 8, 9 или 10 ÷ все ответы на вопрос кассы по шкале 0–10.</translation>
    </message>
    <message>
        <source>Number of sales (checks) in the period.</source>
        <translation>Число продаж (чеков) за период.</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Выручка</translation>
    </message>
    <message>
        <source>Sum of check amounts before loyalty discounts and points; refunds not deducted.</source>
        <translation>Сумма чеков до скидок и баллов программы; возвраты не вычитаются.</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <source>in use</source>
        <translation>действует</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>заблокирована</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>заменена</translation>
    </message>
    <message>
        <source>not given out</source>
        <translation>не выдана</translation>
    </message>
</context>
<context>
    <name>Erasure</name>
    <message>
        <source>Erased customer</source>
        <translation>Удалённый клиент</translation>
    </message>
    <message>
        <source>(text erased at the customer&apos;s request)</source>
        <translation>(текст удалён по просьбе клиента)</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Scan or type a card number.</source>
        <translation>Отсканируйте или введите номер карты.</translation>
    </message>
    <message>
        <source>The card number was mangled by a spreadsheet (it shows as “{text}”); format that column as text and try again.</source>
        <translation>Номер карты испорчен электронной таблицей (показан как «{text}»); задайте этому столбцу текстовый формат и попробуйте снова.</translation>
    </message>
    <message>
        <source>That is not a card number: it must contain digits only.</source>
        <translation>Это не номер карты: он должен состоять только из цифр.</translation>
    </message>
    <message>
        <source>A card number has {length} digits; this one has {count}.</source>
        <translation>В номере карты {length} цифр; в этом — {count}.</translation>
    </message>
    <message>
        <source>Wrong check digit: the number was mistyped or misread. Scan again.</source>
        <translation>Неверная контрольная цифра: номер набран или считан с ошибкой. Отсканируйте снова.</translation>
    </message>
    <message>
        <source>This is a product barcode, not one of our loyalty cards.</source>
        <translation>Это штрихкод товара, а не наша карта лояльности.</translation>
    </message>
    <message>
        <source>“{text}” is not a number of points; use none, max or a whole number.</source>
        <translation>«{text}» — не количество баллов; введите none, max или целое число.</translation>
    </message>
    <message>
        <source>The amount must be more than zero.</source>
        <translation>Сумма должна быть больше нуля.</translation>
    </message>
    <message>
        <source>Points can only be used with the customer&apos;s card.</source>
        <translation>Баллы можно использовать только с картой клиента.</translation>
    </message>
    <message>
        <source>Points to redeem cannot be negative.</source>
        <translation>Количество баллов для списания не может быть отрицательным.</translation>
    </message>
    <message>
        <source>This shop&apos;s program gives a discount; it has no points to spend.</source>
        <translation>Программа этого магазина даёт скидку; баллов для списания в ней нет.</translation>
    </message>
    <message>
        <source>The balance is negative ({balance}); points cannot be spent until it is back above zero.</source>
        <translation>Баланс отрицательный ({balance}); тратить баллы нельзя, пока он не станет больше нуля.</translation>
    </message>
    <message>
        <source>Only {balance} points are available; {wanted} were asked for.</source>
        <translation>Доступно баллов: {balance}; запрошено: {wanted}.</translation>
    </message>
    <message>
        <source>Points can be spent from a balance of {minimum}.</source>
        <translation>Баллы можно тратить при балансе от {minimum}.</translation>
    </message>
    <message>
        <source>At most {cap} points can be spent on this check.</source>
        <translation>На этот чек можно потратить не более баллов: {cap}.</translation>
    </message>
    <message>
        <source>“{text}” is not a real date.</source>
        <translation>«{text}» — несуществующая дата.</translation>
    </message>
    <message>
        <source>“{text}” is not a date; type it as 31.12.1990 or 1990-12-31.</source>
        <translation>«{text}» — не дата; введите её как 31.12.1990 или 1990-12-31.</translation>
    </message>
    <message>
        <source>The birthday cannot be in the future.</source>
        <translation>День рождения не может быть в будущем.</translation>
    </message>
    <message>
        <source>The birthday is more than 120 years ago.</source>
        <translation>День рождения больше 120 лет назад.</translation>
    </message>
    <message>
        <source>Enter the customer&apos;s name.</source>
        <translation>Введите имя клиента.</translation>
    </message>
    <message>
        <source>The name is too long (at most 120 characters).</source>
        <translation>Имя слишком длинное (не более 120 символов).</translation>
    </message>
    <message>
        <source>“{email}” is not an e-mail address.</source>
        <translation>«{email}» — не адрес электронной почты.</translation>
    </message>
    <message>
        <source>balance “{text}” is not a whole number of points</source>
        <translation>баланс «{text}» — не целое число баллов</translation>
    </message>
    <message>
        <source>negative balance {value}</source>
        <translation>отрицательный баланс {value}</translation>
    </message>
    <message>
        <source>balance {value} is more than the {most} points a card can bring</source>
        <translation>баланс {value} больше {most} баллов, которые может перенести карта</translation>
    </message>
    <message>
        <source>consent “{text}” is neither yes nor no</source>
        <translation>согласие «{text}» — ни «да», ни «нет»</translation>
    </message>
    <message>
        <source>card {padded} is not in the in-store range (it does not start with 2), so the counter could not scan it; empty the cell to issue a new card</source>
        <translation>карта {padded} не из диапазона магазина (не начинается с 2), поэтому касса не смогла бы её отсканировать; очистите ячейку, чтобы выдать новую карту</translation>
    </message>
    <message>
        <source>card {compact}: wrong check digit</source>
        <translation>карта {compact}: неверная контрольная цифра</translation>
    </message>
    <message>
        <source>card “{text}”: {message}</source>
        <translation>карта «{text}»: {message}</translation>
    </message>
    <message>
        <source>Choose the column that holds the customers&apos; names.</source>
        <translation>Выберите столбец с именами клиентов.</translation>
    </message>
    <message>
        <source>missing name</source>
        <translation>нет имени</translation>
    </message>
    <message>
        <source>name longer than 120 characters</source>
        <translation>имя длиннее 120 символов</translation>
    </message>
    <message>
        <source>phone {phone} already belongs to a customer in the shop</source>
        <translation>телефон {phone} уже принадлежит клиенту магазина</translation>
    </message>
    <message>
        <source>duplicate phone {phone} (already on line {line})</source>
        <translation>повтор телефона {phone} (уже в строке {line})</translation>
    </message>
    <message>
        <source>duplicate card {card}: it already belongs to a customer</source>
        <translation>повтор карты {card}: она уже принадлежит клиенту</translation>
    </message>
    <message>
        <source>duplicate card {card} (already on line {line})</source>
        <translation>повтор карты {card} (уже в строке {line})</translation>
    </message>
    <message>
        <source>bad phone “{text}”: {message}</source>
        <translation>неверный телефон «{text}»: {message}</translation>
    </message>
    <message>
        <source>birthday: {message}</source>
        <translation>день рождения: {message}</translation>
    </message>
    <message>
        <source>“{text}” is not an e-mail address</source>
        <translation>«{text}» — не адрес электронной почты</translation>
    </message>
    <message>
        <source>Enter an amount.</source>
        <translation>Введите сумму.</translation>
    </message>
    <message>
        <source>The amount cannot be negative.</source>
        <translation>Сумма не может быть отрицательной.</translation>
    </message>
    <message>
        <source>“{shown}” is not an amount. Type digits, e.g. 123.45.</source>
        <translation>«{shown}» — не сумма. Вводите цифры, например 123,45.</translation>
    </message>
    <message>
        <source>This currency has no minor units; type a whole amount.</source>
        <translation>У этой валюты нет дробных единиц; введите целую сумму.</translation>
    </message>
    <message>
        <source>Too many digits after the decimal point: at most {decimals}.</source>
        <translation>Слишком много цифр после запятой: не более {decimals}.</translation>
    </message>
    <message>
        <source>“{text}” is not an amount.</source>
        <translation>«{text}» — не сумма.</translation>
    </message>
    <message>
        <source>The amount is above {maximum}, the most one check can be; check it.</source>
        <translation>Сумма больше {maximum} — больше, чем может быть один чек; проверьте её.</translation>
    </message>
    <message>
        <source>The amount is too large.</source>
        <translation>Сумма слишком велика.</translation>
    </message>
    <message>
        <source>Enter a phone number.</source>
        <translation>Введите номер телефона.</translation>
    </message>
    <message>
        <source>A phone number may contain only digits, spaces, dashes and +.</source>
        <translation>Номер телефона может содержать только цифры, пробелы, дефисы и +.</translation>
    </message>
    <message>
        <source>This phone number has {count} digits; type it with the area code, e.g. 067 123 45 67.</source>
        <translation>В этом номере телефона цифр: {count}; введите его с кодом, например 067 123 45 67.</translation>
    </message>
    <message>
        <source>The program must be a JSON object.</source>
        <translation>Программа должна быть объектом JSON.</translation>
    </message>
    <message>
        <source>Unknown program field “{unknown}”.</source>
        <translation>Неизвестное поле программы «{unknown}».</translation>
    </message>
    <message>
        <source>“kind” must be bonus, discount or hybrid.</source>
        <translation>«kind» должно быть bonus, discount или hybrid.</translation>
    </message>
    <message>
        <source>“stacking” must be best or sum.</source>
        <translation>«stacking» должно быть best или sum.</translation>
    </message>
    <message>
        <source>“categories” must be a list of names.</source>
        <translation>«categories» должно быть списком названий.</translation>
    </message>
    <message>
        <source>“extras” must be an object.</source>
        <translation>«extras» должно быть объектом.</translation>
    </message>
    <message>
        <source>“{name}” must be true or false.</source>
        <translation>«{name}» должно быть true или false.</translation>
    </message>
    <message>
        <source>The program needs at least one tier.</source>
        <translation>В программе нужен хотя бы один уровень.</translation>
    </message>
    <message>
        <source>The first tier must start at 0.</source>
        <translation>Первый уровень должен начинаться с 0.</translation>
    </message>
    <message>
        <source>Tier “{upper}” must start above “{lower}”.</source>
        <translation>Уровень «{upper}» должен начинаться выше уровня «{lower}».</translation>
    </message>
    <message>
        <source>Every tier needs its own name.</source>
        <translation>У каждого уровня должно быть своё название.</translation>
    </message>
    <message>
        <source>Rates of tier “{name}” must be between 0 % and 100 %.</source>
        <translation>Ставки уровня «{name}» должны быть от 0 % до 100 %.</translation>
    </message>
    <message>
        <source>A point must be worth more than zero.</source>
        <translation>Балл должен стоить больше нуля.</translation>
    </message>
    <message>
        <source>The redemption cap must be between 0 % and 100 %.</source>
        <translation>Предел оплаты баллами должен быть от 0 % до 100 %.</translation>
    </message>
    <message>
        <source>Each category must have its own name.</source>
        <translation>У каждой категории должно быть своё название.</translation>
    </message>
    <message>
        <source>Every promotion needs a name.</source>
        <translation>У каждой акции должно быть название.</translation>
    </message>
    <message>
        <source>Promotion “{name}”: the multiplier must be between ×1 and ×10.</source>
        <translation>Акция «{name}»: множитель должен быть от ×1 до ×10.</translation>
    </message>
    <message>
        <source>Promotion “{name}”: the extra must be between 0 % and 100 %.</source>
        <translation>Акция «{name}»: надбавка должна быть от 0 % до 100 %.</translation>
    </message>
    <message>
        <source>Promotion “{name}” gives nothing: set a multiplier or an extra %.</source>
        <translation>Акция «{name}» ничего не даёт: задайте множитель или надбавку в %.</translation>
    </message>
    <message>
        <source>Promotion “{name}” ends before it starts.</source>
        <translation>Акция «{name}» заканчивается раньше, чем начинается.</translation>
    </message>
    <message>
        <source>Promotion “{name}”: the hours are empty.</source>
        <translation>Акция «{name}»: часы не заданы.</translation>
    </message>
    <message>
        <source>Promotion “{name}” names the unknown category “{unknown}”.</source>
        <translation>Акция «{name}» ссылается на неизвестную категорию «{unknown}».</translation>
    </message>
    <message>
        <source>With its promotions, tier “{name}” could get a {what} rate of {value} %; it must stay at most 100 %.</source>
        <translation>С акциями уровень «{name}» может получить ставку ({what}) {value} %; она должна оставаться не более 100 %.</translation>
    </message>
    <message>
        <source>“{name}” must be a whole number.</source>
        <translation>«{name}» должно быть целым числом.</translation>
    </message>
    <message>
        <source>“{name}” must be at least {minimum}.</source>
        <translation>«{name}» должно быть не меньше {minimum}.</translation>
    </message>
    <message>
        <source>“{name}” must be at most {maximum}.</source>
        <translation>«{name}» должно быть не больше {maximum}.</translation>
    </message>
    <message>
        <source>“tiers” must be a list.</source>
        <translation>«tiers» должно быть списком.</translation>
    </message>
    <message>
        <source>Tier {number} needs a name.</source>
        <translation>Уровню {number} нужно название.</translation>
    </message>
    <message>
        <source>“milestones” must be a list of [visit, points].</source>
        <translation>«milestones» должно быть списком пар [визит, баллы].</translation>
    </message>
    <message>
        <source>Each milestone is [visit number, points].</source>
        <translation>Каждая веха — это [номер визита, баллы].</translation>
    </message>
    <message>
        <source>“promotions” must be a list.</source>
        <translation>«promotions» должно быть списком.</translation>
    </message>
    <message>
        <source>Promotion {number} needs a name.</source>
        <translation>Акции {number} нужно название.</translation>
    </message>
    <message>
        <source>Unknown field “{where}.{unknown}”.</source>
        <translation>Неизвестное поле «{where}.{unknown}».</translation>
    </message>
    <message>
        <source>“{where}.weekdays” must list days 0 (Monday) to 6 (Sunday).</source>
        <translation>«{where}.weekdays» должно перечислять дни от 0 (понедельник) до 6 (воскресенье).</translation>
    </message>
    <message>
        <source>“{where}.categories” must be a list of names.</source>
        <translation>«{where}.categories» должно быть списком названий.</translation>
    </message>
    <message>
        <source>“{name}” must be a date like 2026-12-31.</source>
        <translation>«{name}» должно быть датой вида 2026-12-31.</translation>
    </message>
    <message>
        <source>“{name}” must be [from, to], e.g. [&quot;16:00&quot;, &quot;18:00&quot;].</source>
        <translation>«{name}» должно быть [с, по], например [&quot;16:00&quot;, &quot;18:00&quot;].</translation>
    </message>
    <message>
        <source>“{name}” must be times like 16:00.</source>
        <translation>«{name}» должно быть временем вида 16:00.</translation>
    </message>
    <message>
        <source>This sale has already been refunded in full.</source>
        <translation>Эта продажа уже полностью возвращена.</translation>
    </message>
    <message>
        <source>The refund amount must be more than zero.</source>
        <translation>Сумма возврата должна быть больше нуля.</translation>
    </message>
    <message>
        <source>The refund is larger than what is left of the sale.</source>
        <translation>Возврат больше, чем осталось от продажи.</translation>
    </message>
    <message>
        <source>The file {name} cannot be opened: {exc}.</source>
        <translation>Файл {name} не открывается: {exc}.</translation>
    </message>
    <message>
        <source>The file {name} is damaged ({status}); it cannot be used.</source>
        <translation>Файл {name} повреждён ({status}); использовать его нельзя.</translation>
    </message>
    <message>
        <source>The file {name} is not a loyalty terminal database.</source>
        <translation>Файл {name} — не база терминала лояльности.</translation>
    </message>
    <message>
        <source>The file {name} is damaged ({exc}); it cannot be used.</source>
        <translation>Файл {name} повреждён ({exc}); использовать его нельзя.</translation>
    </message>
    <message>
        <source>The file {name} belongs to another shop; restoring it would mix two shops&apos; customers.</source>
        <translation>Файл {name} принадлежит другому магазину; восстановление смешало бы клиентов двух магазинов.</translation>
    </message>
    <message>
        <source>The file {path} cannot be read: {strerror}.</source>
        <translation>Файл {path} не читается: {strerror}.</translation>
    </message>
    <message>
        <source>The file {name} is not a database (not an SQLite file).</source>
        <translation>Файл {name} — не база данных (не файл SQLite).</translation>
    </message>
    <message>
        <source>The file {name} is damaged (cut short); it cannot be used.</source>
        <translation>Файл {name} повреждён (обрезан); использовать его нельзя.</translation>
    </message>
    <message>
        <source>The file {name} cannot be checked: {exc}.</source>
        <translation>Файл {name} не удаётся проверить: {exc}.</translation>
    </message>
    <message>
        <source>The file {name} fails the books check: {problem}</source>
        <translation>Файл {name} не прошёл проверку учёта: {problem}</translation>
    </message>
    <message>
        <source>The backup could not be made: {reason}</source>
        <translation>Резервную копию сделать не удалось: {reason}</translation>
    </message>
    <message>
        <source>The folder {text} does not exist.</source>
        <translation>Папка {text} не существует.</translation>
    </message>
    <message>
        <source>The reason is too long (at most {MAX_REASON} characters).</source>
        <translation>Причина слишком длинная (не более {MAX_REASON} символов).</translation>
    </message>
    <message>
        <source>Card {number} is not known here; check the number.</source>
        <translation>Карта {number} здесь неизвестна; проверьте номер.</translation>
    </message>
    <message>
        <source>Card {number} is already blocked.</source>
        <translation>Карта {number} уже заблокирована.</translation>
    </message>
    <message>
        <source>Card {number} was already replaced and cannot be used anyway.</source>
        <translation>Карта {number} уже заменена и всё равно не работает.</translation>
    </message>
    <message>
        <source>Card {number} is not blocked.</source>
        <translation>Карта {number} не заблокирована.</translation>
    </message>
    <message>
        <source>Card {number} was never given to a customer; nothing to replace.</source>
        <translation>Карта {number} никому не выдавалась; заменять нечего.</translation>
    </message>
    <message>
        <source>Card {number} was already replaced; look the customer up by name or phone to see their current card.</source>
        <translation>Карта {number} уже заменена; найдите клиента по имени или телефону, чтобы увидеть его текущую карту.</translation>
    </message>
    <message>
        <source>The customer of card {number} no longer exists.</source>
        <translation>Клиента карты {number} больше нет.</translation>
    </message>
    <message>
        <source>The new card must be a different card from the old one.</source>
        <translation>Новая карта должна отличаться от старой.</translation>
    </message>
    <message>
        <source>This till has used up its card numbers; print from another till.</source>
        <translation>На этой кассе закончились номера карт; печатайте на другой кассе.</translation>
    </message>
    <message>
        <source>Say how many cards to print: a whole number from 1.</source>
        <translation>Укажите, сколько карт печатать: целое число от 1.</translation>
    </message>
    <message>
        <source>At most {MAX_BATCH} cards can be reserved at once; split the order.</source>
        <translation>За раз можно зарезервировать не более {MAX_BATCH} карт; разделите заказ.</translation>
    </message>
    <message>
        <source>There is no card batch “{batch}”.</source>
        <translation>Партии карт «{batch}» нет.</translation>
    </message>
    <message>
        <source>There is no card {number}.</source>
        <translation>Карты {number} нет.</translation>
    </message>
    <message>
        <source>Card {number} is blocked; issue a new card instead.</source>
        <translation>Карта {number} заблокирована; выдайте вместо неё новую.</translation>
    </message>
    <message>
        <source>Card {number} was replaced by another card; print the new one instead.</source>
        <translation>Карта {number} заменена другой; печатайте новую.</translation>
    </message>
    <message>
        <source>The customer&apos;s points changed since the quote (another till?). Check the new figures and confirm again.</source>
        <translation>Баллы клиента изменились после расчёта (другая касса?). Проверьте новые цифры и подтвердите снова.</translation>
    </message>
    <message>
        <source>The customer is gone.</source>
        <translation>Клиента больше нет.</translation>
    </message>
    <message>
        <source>This sale id was already used for a different sale; nothing was charged.</source>
        <translation>Этот идентификатор продажи уже использован для другой продажи; ничего не списано.</translation>
    </message>
    <message>
        <source>Export to a .csv or an .xlsx file.</source>
        <translation>Экспорт в файл .csv или .xlsx.</translation>
    </message>
    <message>
        <source>{name} has {balance} points: an adjustment can take at most that many, never more.</source>
        <translation>У клиента {name} на счёте {balance} б.: корректировка не может списать больше.</translation>
    </message>
    <message>
        <source>Only the owner can adjust points.</source>
        <translation>Корректировать баллы может только владелец.</translation>
    </message>
    <message>
        <source>This customer no longer exists.</source>
        <translation>Этого клиента больше нет.</translation>
    </message>
    <message>
        <source>This customer&apos;s data was erased on request: their points stay as they are.</source>
        <translation>Данные этого клиента удалены по его просьбе: баллы остаются как есть.</translation>
    </message>
    <message>
        <source>Customers and months must be at least 1, sales at least 0.</source>
        <translation>Клиентов и месяцев должно быть не меньше 1, продаж — не меньше 0.</translation>
    </message>
    <message>
        <source>This database already has customers or sales; demo data goes into a new, empty database (use --db with a new file name).</source>
        <translation>В этой базе уже есть клиенты или продажи; демо-данные создаются в новой пустой базе (укажите --db с новым именем файла).</translation>
    </message>
    <message>
        <source>{name} already has the phone number {phone}.</source>
        <translation>У клиента {name} уже есть номер телефона {phone}.</translation>
    </message>
    <message>
        <source>No sale with the id {sale_id}.</source>
        <translation>Продажи с идентификатором {sale_id} нет.</translation>
    </message>
    <message>
        <source>Referrer&apos;s card: {exc}</source>
        <translation>Карта пригласившего: {exc}</translation>
    </message>
    <message>
        <source>The referrer&apos;s card {number} is not known here; check it.</source>
        <translation>Карта пригласившего {number} здесь неизвестна; проверьте её.</translation>
    </message>
    <message>
        <source>Card {number} already belongs to a customer; give them another card.</source>
        <translation>Карта {number} уже принадлежит клиенту; выдайте другую карту.</translation>
    </message>
    <message>
        <source>Choose complaint, suggestion or praise.</source>
        <translation>Выберите: жалоба, предложение или благодарность.</translation>
    </message>
    <message>
        <source>Write what the customer said.</source>
        <translation>Запишите, что сказал клиент.</translation>
    </message>
    <message>
        <source>Keep it under {MAX_TEXT} characters.</source>
        <translation>Не более {MAX_TEXT} символов.</translation>
    </message>
    <message>
        <source>That customer no longer exists.</source>
        <translation>Этого клиента больше нет.</translation>
    </message>
    <message>
        <source>Write how it was resolved.</source>
        <translation>Запишите, как вопрос решён.</translation>
    </message>
    <message>
        <source>That feedback item no longer exists.</source>
        <translation>Этого отзыва больше нет.</translation>
    </message>
    <message>
        <source>This item is already resolved.</source>
        <translation>Этот отзыв уже решён.</translation>
    </message>
    <message>
        <source>There is no file {path}.</source>
        <translation>Файла {path} нет.</translation>
    </message>
    <message>
        <source>Old Excel files (.xls) cannot be read; save the sheet as .xlsx or CSV.</source>
        <translation>Старые файлы Excel (.xls) не читаются; сохраните лист как .xlsx или CSV.</translation>
    </message>
    <message>
        <source>{name} cannot be read: the quotation marks on line {line} do not pair up; correct that line and import again.</source>
        <translation>Не удалось прочитать {name}: кавычки в строке {line} не закрыты парой; исправьте эту строку и импортируйте снова.</translation>
    </message>
    <message>
        <source>{name} is not a readable Excel file ({exc}).</source>
        <translation>{name} — нечитаемый файл Excel ({exc}).</translation>
    </message>
    <message>
        <source>{name} is empty.</source>
        <translation>{name} пуст.</translation>
    </message>
    <message>
        <source>Unknown field “{field_name}”; use one of {join}.</source>
        <translation>Неизвестное поле «{field_name}»; используйте одно из: {join}.</translation>
    </message>
    <message>
        <source>The file has no column “{column}”; its columns are {join}.</source>
        <translation>В файле нет столбца «{column}»; его столбцы: {join}.</translation>
    </message>
    <message>
        <source>{count} rows of {name} would be refused (line {line}: {reasons}). Fix them, or skip refused rows; nothing was imported.</source>
        <translation>Строк файла {name}, которые будут отклонены: {count} (строка {line}: {reasons}). Исправьте их или пропустите отклонённые строки; ничего не импортировано.</translation>
    </message>
    <message>
        <source>Card {number} belongs to no customer.</source>
        <translation>Карта {number} не принадлежит ни одному клиенту.</translation>
    </message>
    <message>
        <source>Card {number} is not known here. Register the customer with it, or check the number.</source>
        <translation>Карта {number} здесь неизвестна. Зарегистрируйте клиента с ней или проверьте номер.</translation>
    </message>
    <message>
        <source>Card {number} has not been given to a customer yet. Register a customer with it.</source>
        <translation>Карта {number} ещё не выдана клиенту. Зарегистрируйте клиента с ней.</translation>
    </message>
    <message>
        <source>Card {number} is blocked{reason}.</source>
        <translation>Карта {number} заблокирована{reason}.</translation>
    </message>
    <message>
        <source>Card {number} was replaced by a new card; ask the customer for the new one.</source>
        <translation>Карта {number} заменена новой; попросите у клиента новую карту.</translation>
    </message>
    <message>
        <source>No customer has the phone number {stripped}.</source>
        <translation>Ни у одного клиента нет номера телефона {stripped}.</translation>
    </message>
    <message>
        <source>“{stripped}” is neither a card number nor a phone number.</source>
        <translation>«{stripped}» — ни номер карты, ни номер телефона.</translation>
    </message>
    <message>
        <source>The score is a whole number from 0 to 10.</source>
        <translation>Оценка — целое число от 0 до 10.</translation>
    </message>
    <message>
        <source>This customer&apos;s data was erased.</source>
        <translation>Данные этого клиента удалены.</translation>
    </message>
    <message>
        <source>{out} is a folder; give a file name.</source>
        <translation>{out} — папка; укажите имя файла.</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist.</source>
        <translation>Папка {folder} не существует.</translation>
    </message>
    <message>
        <source>“{version}” is not a program version; versions are numbered from 1.</source>
        <translation>«{version}» — не версия программы; версии нумеруются с 1.</translation>
    </message>
    <message>
        <source>There is no program version {version}.</source>
        <translation>Версии программы {version} нет.</translation>
    </message>
    <message>
        <source>Nothing changed: the program is the same as version {version}.</source>
        <translation>Ничего не изменилось: программа совпадает с версией {version}.</translation>
    </message>
    <message>
        <source>Cannot read {name}: {strerror}.</source>
        <translation>Не удаётся прочитать {name}: {strerror}.</translation>
    </message>
    <message>
        <source>{name} is not a program file: it is not UTF-8 text.</source>
        <translation>{name} — не файл программы: это не текст в UTF-8.</translation>
    </message>
    <message>
        <source>{name} is not valid JSON (line {lineno}, column {colno}: {msg}).</source>
        <translation>{name} — некорректный JSON (строка {lineno}, столбец {colno}: {msg}).</translation>
    </message>
    <message>
        <source>{message} (field “{field}”)</source>
        <translation>{message} (поле «{field}»)</translation>
    </message>
    <message>
        <source>This refund id was already used for another refund.</source>
        <translation>Этот идентификатор возврата уже использован для другого возврата.</translation>
    </message>
    <message>
        <source>The sale&apos;s customer is gone.</source>
        <translation>Клиента этой продажи больше нет.</translation>
    </message>
    <message>
        <source>The period ends before it starts.</source>
        <translation>Период заканчивается раньше, чем начинается.</translation>
    </message>
    <message>
        <source>The period must end before {last}.</source>
        <translation>Период должен закончиться раньше {last}.</translation>
    </message>
    <message>
        <source>There is no file {source}.</source>
        <translation>Файла {source} нет.</translation>
    </message>
    <message>
        <source>The file {name} is another shop&apos;s database, and this till already has {sales} sales of its own; restoring it would replace this shop&apos;s records.</source>
        <translation>Файл {name} — база другого магазина, а на этой кассе уже есть собственные продажи ({sales}); восстановление заменило бы записи этого магазина.</translation>
    </message>
    <message>
        <source>The database stayed busy with another program (a sync, an import or a second window) through {attempts} tries; nothing was saved. Close the other program or wait for it to finish, then try again.</source>
        <translation>База данных оставалась занятой другой программой (синхронизация, импорт или второе окно) все попытки ({attempts}); ничего не сохранено. Закройте другую программу или дождитесь её завершения и повторите.</translation>
    </message>
    <message>
        <source>Enter the shop&apos;s name.</source>
        <translation>Введите название магазина.</translation>
    </message>
    <message>
        <source>The shop name is too long (at most 80 characters).</source>
        <translation>Название магазина слишком длинное (не более 80 символов).</translation>
    </message>
    <message>
        <source>“{currency_code}” is not a currency we know.</source>
        <translation>«{currency_code}» — неизвестная валюта.</translation>
    </message>
    <message>
        <source>The till number is a whole number from 1 to {MAX_TILL}.</source>
        <translation>Номер кассы — целое число от 1 до {MAX_TILL}.</translation>
    </message>
    <message>
        <source>The till number cannot change any more: cards were already issued with it.</source>
        <translation>Номер кассы больше нельзя изменить: с ним уже выданы карты.</translation>
    </message>
    <message>
        <source>Till number {till_number} is already used by another till of this shop.</source>
        <translation>Номер кассы {till_number} уже занят другой кассой этого магазина.</translation>
    </message>
    <message>
        <source>“{language}” is not a language we offer.</source>
        <translation>«{language}» — язык, которого у нас нет.</translation>
    </message>
    <message>
        <source>“{text}” is not a printer address. Write usb:VID:PID (e.g. usb:0416:5011), serial:/dev/ttyUSB0 or network:192.168.1.50.</source>
        <translation>«{text}» — не адрес принтера. Пишите usb:VID:PID (напр. usb:0416:5011), serial:/dev/ttyUSB0 или network:192.168.1.50.</translation>
    </message>
    <message>
        <source>Enter the printer&apos;s address to print slips.</source>
        <translation>Введите адрес принтера, чтобы печатать чеки.</translation>
    </message>
    <message>
        <source>The paper is 58 or 80 mm wide.</source>
        <translation>Ширина бумаги — 58 или 80 мм.</translation>
    </message>
    <message>
        <source>A PIN is {PIN_MIN} to {PIN_MAX} digits.</source>
        <translation>PIN состоит из {PIN_MIN}–{PIN_MAX} цифр.</translation>
    </message>
    <message>
        <source>An owner PIN is already set.</source>
        <translation>PIN владельца уже задан.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Неверный PIN.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again at {until:%H:%M}.</source>
        <translation>Слишком много неверных PIN. Попробуйте снова в {until:%H:%M}.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again at {lock_until:%H:%M}.</source>
        <translation>Слишком много неверных PIN. Попробуйте снова в {lock_until:%H:%M}.</translation>
    </message>
    <message>
        <source>Wrong PIN. {left} tries left before a 5-minute lock.</source>
        <translation>Неверный PIN. Попыток до блокировки на 5 минут: {left}.</translation>
    </message>
    <message>
        <source>Type the person&apos;s name.</source>
        <translation>Введите имя сотрудника.</translation>
    </message>
    <message>
        <source>The role is cashier or owner.</source>
        <translation>Роль — кассир или владелец.</translation>
    </message>
    <message>
        <source>Someone already uses this PIN; choose another.</source>
        <translation>Этот PIN уже занят; выберите другой.</translation>
    </message>
    <message>
        <source>No such person.</source>
        <translation>Такого сотрудника нет.</translation>
    </message>
    <message>
        <source>The last owner cannot be switched off.</source>
        <translation>Последнего владельца нельзя выключить.</translation>
    </message>
    <message>
        <source>Choose never, 5, 15, 30 or 60 minutes.</source>
        <translation>Выберите «никогда», 5, 15, 30 или 60 минут.</translation>
    </message>
    <message>
        <source>Cannot write {target}.</source>
        <translation>Не удаётся записать {target}.</translation>
    </message>
    <message>
        <source>The output file must end in .pdf: {path}</source>
        <translation>Файл результата должен оканчиваться на .pdf: {path}</translation>
    </message>
    <message>
        <source>The folder {parent} does not exist.</source>
        <translation>Папка {parent} не существует.</translation>
    </message>
    <message>
        <source>“{text}” is not a valid {what} id (a UUID).</source>
        <translation>«{text}» — некорректный идентификатор ({what}, UUID).</translation>
    </message>
    <message>
        <source>The database is busy with another program (a sync or a second window). Try again in a moment.</source>
        <translation>База данных занята другой программой (синхронизация или второе окно). Повторите через минуту.</translation>
    </message>
    <message>
        <source>The disk is full: nothing was saved. Free some space and try again.</source>
        <translation>Диск заполнен: ничего не сохранено. Освободите место и повторите.</translation>
    </message>
    <message>
        <source>The database file cannot be written (read-only): nothing was saved.</source>
        <translation>Файл базы данных нельзя записать (только чтение): ничего не сохранено.</translation>
    </message>
    <message>
        <source>The database file cannot be reached: nothing was saved.</source>
        <translation>Файл базы данных недоступен: ничего не сохранено.</translation>
    </message>
    <message>
        <source>Type how many points to add (+) or take away (−).</source>
        <translation>Введите, сколько баллов добавить (+) или списать (−).</translation>
    </message>
    <message>
        <source>“{shown}” is not a number of points. Type whole points, e.g. +50 or -20.</source>
        <translation>«{shown}» — не число баллов. Введите целое число, например +50 или -20.</translation>
    </message>
    <message>
        <source>Points are whole numbers, e.g. +50 or -20.</source>
        <translation>Баллы — целые числа, например +50 или -20.</translation>
    </message>
    <message>
        <source>Zero points changes nothing. Type e.g. +50 or -20.</source>
        <translation>Ноль баллов ничего не меняет. Введите, например, +50 или -20.</translation>
    </message>
    <message>
        <source>That is too many points for one adjustment (at most {most}).</source>
        <translation>Слишком много баллов для одной корректировки (не больше {most}).</translation>
    </message>
    <message>
        <source>Write why the points change (e.g. “lost receipt, sale of 12 May”).</source>
        <translation>Напишите, почему меняются баллы (например, «потерянный чек, покупка 12 мая»).</translation>
    </message>
    <message>
        <source>The reason is too long: at most {most} characters.</source>
        <translation>Причина слишком длинная: не больше {most} символов.</translation>
    </message>
    <message>
        <source>A folder sync is already running; wait for it.</source>
        <translation>Синхронизация через папку уже идёт; дождитесь её окончания.</translation>
    </message>
    <message>
        <source>The sync folder {folder} is not available (USB stick unplugged or network folder offline?). Sales go on; the next round tries again.</source>
        <translation>Папка синхронизации {folder} недоступна (флешка вынута или сетевая папка отключена?). Продажи идут как обычно; следующий раунд попробует снова.</translation>
    </message>
    <message>
        <source>This till&apos;s news could not be written to {folder}: {reason}.</source>
        <translation>Не удалось записать новости этой кассы в {folder}: {reason}.</translation>
    </message>
    <message>
        <source>The sync server address is not understood. It looks like postgresql://user:password@host:5432/database.</source>
        <translation>Адрес сервера синхронизации не распознан. Он выглядит так: postgresql://user:password@host:5432/database.</translation>
    </message>
    <message>
        <source>The sync server address must start with postgresql:// and name the host and the database, e.g. postgresql://user:password@host:5432/database.</source>
        <translation>Адрес сервера синхронизации должен начинаться с postgresql:// и указывать сервер и базу данных, например postgresql://user:password@host:5432/database.</translation>
    </message>
    <message>
        <source>Folder sync runs every 5, 15 or 60 minutes, or off.</source>
        <translation>Синхронизация через папку выполняется каждые 5, 15 или 60 минут либо выключена.</translation>
    </message>
    <message>
        <source>Choose the folder to sync through first.</source>
        <translation>Сначала выберите папку для синхронизации.</translation>
    </message>
    <message>
        <source>Type the sync server&apos;s password in place of ***.</source>
        <translation>Введите пароль сервера синхронизации вместо ***.</translation>
    </message>
    <message>
        <source>The owner PIN is needed: give it with --pin or ${env}.</source>
        <translation>Нужен PIN владельца: укажите его через --pin или ${env}.</translation>
    </message>
    <message>
        <source>No owner PIN is set yet: set it in the till window first.</source>
        <translation>PIN владельца ещё не задан: сначала задайте его в окне кассы.</translation>
    </message>
    <message>
        <source>This bundle was made by this very till; there is nothing to import.</source>
        <translation>Этот пакет создан этой же кассой; загружать нечего.</translation>
    </message>
    <message>
        <source>Bundles of till {till} are missing: this till has its events up to number {have}, the bundle starts at {first}. Import the earlier bundle first (or export again with --since {have}).</source>
        <translation>Не хватает пакетов кассы {till}: у этой кассы есть её события до номера {have}, а пакет начинается с {first}. Сначала загрузите более ранний пакет (или выгрузите заново с --since {have}).</translation>
    </message>
    <message>
        <source>The bundle of till {till} builds on news from other tills that this till has not received yet (a customer, card or sale made elsewhere). Import the other tills&apos; bundles first, then this one again; nothing was changed.</source>
        <translation>Пакет кассы {till} опирается на новости других касс, которых эта касса ещё не получила (покупатель, карта или продажа, сделанные в другом месте). Сначала загрузите пакеты других касс, затем этот снова; ничего не изменено.</translation>
    </message>
    <message>
        <source>That conflict is no longer on the list: news from another till showed it did not happen.</source>
        <translation>Этого конфликта уже нет в списке: новости с другой кассы показали, что его не было.</translation>
    </message>
    <message>
        <source>That conflict is already marked as dealt with.</source>
        <translation>Этот конфликт уже отмечен как решённый.</translation>
    </message>
    <message>
        <source>The bundle could not be written to {folder}: the disk is full. Nothing was marked as sent; free some space there or choose another folder.</source>
        <translation>Не удалось записать пакет в {folder}: диск заполнен. Ничего не отмечено как отправленное; освободите там место или выберите другую папку.</translation>
    </message>
    <message>
        <source>The bundle could not be written to {folder}: {reason}. Nothing was marked as sent.</source>
        <translation>Не удалось записать пакет в {folder}: {reason}. Ничего не отмечено как отправленное.</translation>
    </message>
    <message>
        <source>Events of till {till} are missing after number {have}.</source>
        <translation>Не хватает событий кассы {till} после номера {have}.</translation>
    </message>
    <message>
        <source>Cannot reach the sync server: {reason}. Sales go on; try again later.</source>
        <translation>Нет связи с сервером синхронизации: {reason}. Продажи продолжаются; попробуйте позже.</translation>
    </message>
    <message>
        <source>Pushing to the sync server failed: {reason}.</source>
        <translation>Не удалось отправить на сервер синхронизации: {reason}.</translation>
    </message>
    <message>
        <source>Pulling from the sync server failed: {reason}.</source>
        <translation>Не удалось получить с сервера синхронизации: {reason}.</translation>
    </message>
    <message>
        <source>The sync server&apos;s news build on news of a till that has not pushed to it yet (a customer, card or sale made there); nothing was changed. Push from that till, or import its bundle here, then pull again.</source>
        <translation>Новости на сервере синхронизации опираются на новости кассы, которая ещё не отправила их на сервер (покупатель, карта или продажа, сделанные там); ничего не изменено. Отправьте данные с той кассы или загрузите здесь её пакет, затем получите снова.</translation>
    </message>
    <message>
        <source>A till number is between 1 and 99.</source>
        <translation>Номер кассы — от 1 до 99.</translation>
    </message>
    <message>
        <source>Till number {number} is already in use in this shop.</source>
        <translation>Номер кассы {number} в этом магазине уже занят.</translation>
    </message>
    <message>
        <source>The pairing file could not be written to {folder}: the disk is full. Free some space there or choose another folder; the till number is still free.</source>
        <translation>Не удалось записать файл подключения в {folder}: диск заполнен. Освободите там место или выберите другую папку; номер кассы остаётся свободным.</translation>
    </message>
    <message>
        <source>The pairing file could not be written to {folder}: {reason}. The till number is still free.</source>
        <translation>Не удалось записать файл подключения в {folder}: {reason}. Номер кассы остаётся свободным.</translation>
    </message>
    <message>
        <source>This till was already set up as a shop of its own (its first-start questions were answered), so it cannot join another shop. A till that joins a shop does it from its first-start screen instead (“Join a shop…”), on a new, empty database.</source>
        <translation>Эта касса уже настроена как отдельный магазин (на вопросы первого запуска уже ответили), поэтому подключиться к другому магазину она не может. Касса, которая подключается к магазину, делает это на экране первого запуска («Подключиться к магазину…») с новой, пустой базой данных.</translation>
    </message>
    <message>
        <source>This till already holds customers or sales from the other tills of its shop; only a new, empty till can join a shop.</source>
        <translation>На этой кассе уже есть покупатели или продажи других касс её магазина; подключиться к магазину может только новая, пустая касса.</translation>
    </message>
    <message>
        <source>Other tills were paired from this one for its shop; only a new, empty till can join a shop.</source>
        <translation>С этой кассы уже подключали другие кассы её магазина; подключиться к магазину может только новая, пустая касса.</translation>
    </message>
    <message>
        <source>{path} is not a pairing file of this program.</source>
        <translation>{path} — не файл подключения этой программы.</translation>
    </message>
    <message>
        <source>This till already belongs to that shop.</source>
        <translation>Эта касса уже относится к этому магазину.</translation>
    </message>
    <message>
        <source>This till already has its own customers or sales; only a new, empty till can join a shop.</source>
        <translation>У этой кассы уже есть свои покупатели или продажи; подключиться к магазину может только новая, пустая касса.</translation>
    </message>
    <message>
        <source>The bundle file is not in the expected format.</source>
        <translation>Файл пакета имеет неожиданный формат.</translation>
    </message>
    <message>
        <source>The bundle file is incomplete: its signature line is missing.</source>
        <translation>Файл пакета неполный: в нём нет строки подписи.</translation>
    </message>
    <message>
        <source>There is no bundle file at {path}.</source>
        <translation>Файла пакета нет по пути {path}.</translation>
    </message>
    <message>
        <source>The bundle file is damaged or cut short (it is not a complete gzip file).</source>
        <translation>Файл пакета повреждён или обрезан (это не целый gzip-файл).</translation>
    </message>
    <message>
        <source>The bundle file is incomplete: it has no signature line.</source>
        <translation>Файл пакета неполный: в нём нет строки подписи.</translation>
    </message>
    <message>
        <source>The bundle&apos;s signature does not match: the file was changed after export, or it was made with another shop&apos;s key.</source>
        <translation>Подпись пакета не совпадает: файл изменили после выгрузки или он сделан с ключом другого магазина.</translation>
    </message>
    <message>
        <source>{path} is a folder, not a bundle file: give the bundle file in it (its name ends in .ltb).</source>
        <translation>{path} — это папка, а не файл пакета: укажите файл пакета в ней (его имя оканчивается на .ltb).</translation>
    </message>
    <message>
        <source>The bundle file {path} cannot be read: {reason}.</source>
        <translation>Не удаётся прочитать файл пакета {path}: {reason}.</translation>
    </message>
    <message>
        <source>The bundle has format {found}, not {expected}.</source>
        <translation>У пакета формат {found}, а нужен {expected}.</translation>
    </message>
    <message>
        <source>The bundle&apos;s manifest is not in the expected format.</source>
        <translation>Описание пакета имеет неожиданный формат.</translation>
    </message>
    <message>
        <source>The bundle comes from another shop; it cannot be imported here.</source>
        <translation>Пакет из другого магазина; загрузить его здесь нельзя.</translation>
    </message>
    <message>
        <source>The bundle was made by a newer version of the program (journal schema {schema}); update this till first.</source>
        <translation>Пакет сделан более новой версией программы (схема журнала {schema}); сначала обновите эту кассу.</translation>
    </message>
    <message>
        <source>The bundle mixes events of different tills.</source>
        <translation>В пакете перемешаны события разных касс.</translation>
    </message>
    <message>
        <source>The bundle&apos;s events are out of order: expected number {expected}, found {found}.</source>
        <translation>События пакета идут не по порядку: ожидался номер {expected}, найден {found}.</translation>
    </message>
    <message>
        <source>The bundle holds event {event} twice.</source>
        <translation>Событие {event} встречается в пакете дважды.</translation>
    </message>
    <message>
        <source>The bundle should hold {count} events but holds more.</source>
        <translation>Событий в пакете должно быть {count}, а их больше.</translation>
    </message>
    <message>
        <source>The bundle should hold {count} events but holds {found}.</source>
        <translation>Событий в пакете должно быть {count}, а в нём {found}.</translation>
    </message>
    <message>
        <source>The bundle&apos;s last event is not the one its manifest names.</source>
        <translation>Последнее событие пакета не то, что указано в его описании.</translation>
    </message>
    <message>
        <source>Another till&apos;s events need a newer version of the program (journal schema {schema}); update this till first. Nothing was changed.</source>
        <translation>События другой кассы требуют более новой версии программы (схема журнала {schema}); сначала обновите эту кассу. Ничего не изменено.</translation>
    </message>
    <message>
        <source>The number of sales to list must be between 0 and {most}.</source>
        <translation>Число продаж в списке должно быть от 0 до {most}.</translation>
    </message>
    <message>
        <source>There is no period of the same length before {start} to compare with; choose a later or shorter period.</source>
        <translation>Перед {start} нет периода той же длины для сравнения; выберите более поздний или более короткий период.</translation>
    </message>
    <message>
        <source>the file or its folder does not exist</source>
        <translation>файл или его папка не существует</translation>
    </message>
    <message>
        <source>there is no room left on the disk</source>
        <translation>на диске не осталось места</translation>
    </message>
    <message>
        <source>access is denied</source>
        <translation>доступ запрещён</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>диск доступен только для чтения</translation>
    </message>
    <message>
        <source>it is a folder, not a file</source>
        <translation>это папка, а не файл</translation>
    </message>
    <message>
        <source>part of the path is a file, not a folder</source>
        <translation>часть пути — файл, а не папка</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}.</source>
        <translation>Не удалось записать {path}: {reason}.</translation>
    </message>
    <message>
        <source>Cannot read {path}: {reason}.</source>
        <translation>Не удалось прочитать {path}: {reason}.</translation>
    </message>
    <message>
        <source>The database {path} is damaged or is not a loyalty terminal database; put a backup back with “loyalty-terminal restore BACKUP-FILE”.</source>
        <translation>База данных {path} повреждена или не является базой терминала лояльности; восстановите резервную копию командой «loyalty-terminal restore ФАЙЛ-КОПИИ».</translation>
    </message>
    <message>
        <source>There is no folder {folder} for the database; check the path.</source>
        <translation>Папки {folder} для базы данных нет; проверьте путь.</translation>
    </message>
</context>
<context>
    <name>Feedback</name>
    <message>
        <source>Complaint</source>
        <translation>Жалоба</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>Предложение</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>Благодарность</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <source>Customer feedback</source>
        <translation>Отзывы клиентов</translation>
    </message>
    <message>
        <source>Feedback from {name}</source>
        <translation>Отзыв клиента {name}</translation>
    </message>
    <message>
        <source>Feedback without a customer</source>
        <translation>Отзыв без привязки к клиенту</translation>
    </message>
    <message>
        <source>What did the customer say?</source>
        <translation>Что сказал клиент?</translation>
    </message>
</context>
<context>
    <name>FeedbackScreen</name>
    <message>
        <source>Open</source>
        <translation>Открытые</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Решённые</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Все</translation>
    </message>
    <message>
        <source>Record feedback…</source>
        <translation>Записать отзыв…</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>Решить…</translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation>Сохранить в CSV…</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Клиент</translation>
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
        <translation>Что сказано</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Решение</translation>
    </message>
    <message>
        <source>Open</source>
        <comment>status of one feedback item</comment>
        <translation>Открытый</translation>
    </message>
    <message>
        <source>Resolved</source>
        <comment>status of one feedback item</comment>
        <translation>Решённый</translation>
    </message>
    <message>
        <source>(no customer)</source>
        <translation>(без клиента)</translation>
    </message>
    <message>
        <source>Choose an item in the list first.</source>
        <translation>Сначала выберите запись в списке.</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Решить</translation>
    </message>
    <message>
        <source>How was it resolved?</source>
        <translation>Как решён вопрос?</translation>
    </message>
    <message>
        <source>Resolved.</source>
        <translation>Решено.</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <source>Welcome</source>
        <translation>Добро пожаловать</translation>
    </message>
    <message>
        <source>Shop details</source>
        <translation>Данные магазина</translation>
    </message>
    <message>
        <source>Set up this till</source>
        <translation>Настройка кассы</translation>
    </message>
    <message>
        <source>A few questions, once. You can change the shop name later.</source>
        <translation>Несколько вопросов, один раз. Название магазина можно изменить позже.</translation>
    </message>
    <message>
        <source>e.g. Kava &amp; Co, Main Street</source>
        <translation>напр. Кава и Ко, ул. Главная</translation>
    </message>
    <message>
        <source>As the computer is set</source>
        <translation>Как настроено на компьютере</translation>
    </message>
    <message>
        <source>Shop &amp;name</source>
        <translation>&amp;Название магазина</translation>
    </message>
    <message>
        <source>&amp;Currency</source>
        <translation>&amp;Валюта</translation>
    </message>
    <message>
        <source>&amp;Till number</source>
        <translation>&amp;Номер кассы</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <source>The till number is part of every card number issued here: give each till of the shop its own number.</source>
        <translation>Номер кассы входит в каждый номер карты, выданной здесь: дайте каждой кассе магазина свой номер.</translation>
    </message>
    <message>
        <source>The till number is fixed: cards were already issued with it.</source>
        <translation>Номер кассы уже не изменить: с ним выданы карты.</translation>
    </message>
    <message>
        <source>Join a shop…</source>
        <translation>Подключиться к магазину…</translation>
    </message>
    <message>
        <source>A till for a shop that already has one: open the pairing file made on that shop&apos;s till (Owner → Sync). The shop&apos;s name, currency and this till&apos;s number come from the file.</source>
        <translation>Касса для магазина, у которого уже есть касса: откройте файл подключения, созданный на кассе этого магазина (Владелец → Синхронизация). Название магазина, валюта и номер этой кассы берутся из файла.</translation>
    </message>
    <message>
        <source>Cancel  [Esc]</source>
        <translation>Отмена  [Esc]</translation>
    </message>
    <message>
        <source>Start  [Enter]</source>
        <translation>Начать  [Enter]</translation>
    </message>
    <message>
        <source>Save  [Enter]</source>
        <translation>Сохранить  [Enter]</translation>
    </message>
    <message>
        <source>Pairing file</source>
        <translation>Файл подключения</translation>
    </message>
    <message>
        <source>Pairing files (%1);;All files (*)</source>
        <translation>Файлы подключения (%1);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Joined the shop</source>
        <translation>Касса подключена к магазину</translation>
    </message>
    <message>
        <source>This is now till %1 of %2. Import the other tills&apos; bundles or sync with the folder or server (Owner → Sync) to get the customers.</source>
        <translation>Теперь это касса %1 магазина «%2». Загрузите пакеты других касс или синхронизируйтесь через папку или сервер (Владелец → Синхронизация), чтобы получить покупателей.</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import customers from a spreadsheet</source>
        <translation>Импорт клиентов из таблицы</translation>
    </message>
    <message>
        <source>Bring in the customers you already have: names, phones, card numbers, points balances, birthdays and e-mails. The file is a CSV (any separator; UTF-8 or Windows-1251) or an Excel .xlsx sheet whose first row holds the column names. Nothing is written until you have seen every row that would be refused.</source>
        <translation>Перенесите клиентов, которые у вас уже есть: имена, телефоны, номера карт, балансы баллов, дни рождения и e-mail. Файл — CSV (любой разделитель; UTF-8 или Windows-1251) или лист Excel .xlsx, в первой строке которого названия столбцов. Ничего не записывается, пока вы не увидите все строки, которые будут отклонены.</translation>
    </message>
    <message>
        <source>Choose a file…</source>
        <translation>Выбрать файл…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
    <message>
        <source>Save every customer, with consent status, for your own records.</source>
        <translation>Сохранить всех клиентов со статусом согласия для своих записей.</translation>
    </message>
    <message>
        <source>Export customers…</source>
        <translation>Экспортировать клиентов…</translation>
    </message>
    <message>
        <source>Which column holds what</source>
        <translation>Какой столбец что содержит</translation>
    </message>
    <message>
        <source>The first rows of the file:</source>
        <translation>Первые строки файла:</translation>
    </message>
    <message>
        <source>Another file</source>
        <translation>Другой файл</translation>
    </message>
    <message>
        <source>Check every row</source>
        <translation>Проверить все строки</translation>
    </message>
    <message>
        <source>Rows that would be refused, and why:</source>
        <translation>Строки, которые будут отклонены, и почему:</translation>
    </message>
    <message>
        <source>Skip refused rows and import the good ones</source>
        <translation>Пропустить отклонённые строки и импортировать хорошие</translation>
    </message>
    <message>
        <source>Back to the columns</source>
        <translation>Назад к столбцам</translation>
    </message>
    <message>
        <source>Name (required)</source>
        <translation>Имя (обязательно)</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Card number</source>
        <translation>Номер карты</translation>
    </message>
    <message>
        <source>Points balance</source>
        <translation>Баланс баллов</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День рождения</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Agrees to messages</source>
        <translation>Согласие на сообщения</translation>
    </message>
    <message>
        <source>1. File</source>
        <translation>1. Файл</translation>
    </message>
    <message>
        <source>2. Columns</source>
        <translation>2. Столбцы</translation>
    </message>
    <message>
        <source>3. Check and import</source>
        <translation>3. Проверка и импорт</translation>
    </message>
    <message>
        <source>Choose the spreadsheet</source>
        <translation>Выберите таблицу</translation>
    </message>
    <message>
        <source>Spreadsheets (*.csv *.txt *.xlsx)</source>
        <translation>Таблицы (*.csv *.txt *.xlsx)</translation>
    </message>
    <message>
        <source>— not in the file —</source>
        <translation>— нет в файле —</translation>
    </message>
    <message>
        <source>Check the columns, then press “Check every row”.</source>
        <translation>Проверьте столбцы, затем нажмите «Проверить все строки».</translation>
    </message>
    <message>
        <source>Choose the column that holds the customers&apos; names.</source>
        <translation>Выберите столбец с именами клиентов.</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>Проверяем все строки…</translation>
    </message>
    <message>
        <source>Rows that can be imported: {good} of {rows}. Rows that would be refused: {refused}. Opening balances in points: {points}. New card numbers: {cards}.</source>
        <translation>Строк можно импортировать: {good} из {rows}. Будет отклонено строк: {refused}. Начальные балансы в баллах: {points}. Новых номеров карт: {cards}.</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Строка</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Почему</translation>
    </message>
    <message>
        <source>The row</source>
        <translation>Строка файла</translation>
    </message>
    <message>
        <source>Fix the refused rows in the file and check again, or skip them.</source>
        <translation>Исправьте отклонённые строки в файле и проверьте снова или пропустите их.</translation>
    </message>
    <message>
        <source>Every row is fine.</source>
        <translation>Все строки в порядке.</translation>
    </message>
    <message>
        <source>Importing… (one transaction: all of it or nothing)</source>
        <translation>Импортируем… (одной транзакцией: всё или ничего)</translation>
    </message>
    <message>
        <source>The import stopped on an unexpected error; nothing was written. ({e})</source>
        <translation>Импорт остановлен непредвиденной ошибкой; ничего не записано. ({e})</translation>
    </message>
    <message>
        <source>Export customers</source>
        <translation>Экспорт клиентов</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Could not write {path}: {e}</source>
        <translation>Не удалось записать {path}: {e}</translation>
    </message>
    <message numerus="yes">
        <source>Import %n customer(s)</source>
        <translation>
            <numerusform>Импортировать %n клиента</numerusform>
            <numerusform>Импортировать %n клиентов</numerusform>
            <numerusform>Импортировать %n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{file}: %n row(s), {columns}</source>
        <translation>
            <numerusform>{file}: %n строка, {columns}</numerusform>
            <numerusform>{file}: %n строки, {columns}</numerusform>
            <numerusform>{file}: %n строк, {columns}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n column(s)</source>
        <translation>
            <numerusform>%n столбец</numerusform>
            <numerusform>%n столбца</numerusform>
            <numerusform>%n столбцов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n row(s)</source>
        <translation>
            <numerusform>{done} из %n строки</numerusform>
            <numerusform>{done} из %n строк</numerusform>
            <numerusform>{done} из %n строк</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n customer(s) from {file} (refused rows skipped: {skipped}; opening points: {points}).</source>
        <translation>
            <numerusform>Импортирован %n клиент из {file} (пропущено отклонённых строк: {skipped}; начальных баллов: {points}).</numerusform>
            <numerusform>Импортировано %n клиента из {file} (пропущено отклонённых строк: {skipped}; начальных баллов: {points}).</numerusform>
            <numerusform>Импортировано %n клиентов из {file} (пропущено отклонённых строк: {skipped}; начальных баллов: {points}).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n customer(s) ({consent} agreed to messages) to {path}.</source>
        <translation>
            <numerusform>Экспортирован %n клиент (согласны на сообщения: {consent}) в {path}.</numerusform>
            <numerusform>Экспортировано %n клиента (согласны на сообщения: {consent}) в {path}.</numerusform>
            <numerusform>Экспортировано %n клиентов (согласны на сообщения: {consent}) в {path}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LedgerReasons</name>
    <message>
        <source>Welcome bonus</source>
        <translation>Приветственный бонус</translation>
    </message>
    <message>
        <source>Birthday bonus</source>
        <translation>Бонус на день рождения</translation>
    </message>
    <message>
        <source>Referral bonus (first purchase)</source>
        <translation>Реферальный бонус (первая покупка)</translation>
    </message>
    <message>
        <source>Visit milestone bonus</source>
        <translation>Бонус за визиты</translation>
    </message>
    <message>
        <source>Referral bonus</source>
        <translation>Реферальный бонус</translation>
    </message>
    <message>
        <source>Earned on a purchase</source>
        <translation>Начислено за покупку</translation>
    </message>
    <message>
        <source>Spent on a purchase</source>
        <translation>Списано на покупку</translation>
    </message>
    <message>
        <source>Milestone bonus</source>
        <translation>Бонус за визиты</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Сгорели</translation>
    </message>
    <message>
        <source>Given back by a refund</source>
        <translation>Возвращено при возврате</translation>
    </message>
    <message>
        <source>Taken back by a refund</source>
        <translation>Списано при возврате</translation>
    </message>
    <message>
        <source>Bonus taken back by a refund</source>
        <translation>Бонус списан при возврате</translation>
    </message>
    <message>
        <source>Manual adjustment</source>
        <translation>Ручная корректировка</translation>
    </message>
    <message>
        <source>Opening balance</source>
        <translation>Начальный баланс</translation>
    </message>
    <message>
        <source>Referred {name}</source>
        <translation>Пригласил(а): {name}</translation>
    </message>
    <message>
        <source>Expired on {day}</source>
        <translation>Срок истёк {day}</translation>
    </message>
    <message>
        <source>{bonus} taken back: the sale was refunded in full</source>
        <translation>{bonus} списан: покупка возвращена полностью</translation>
    </message>
    <message>
        <source>Opening balance imported from {file}</source>
        <translation>Начальный баланс загружен из {file}</translation>
    </message>
</context>
<context>
    <name>Lists</name>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Оплачено</translation>
    </message>
    <message>
        <source>Points used</source>
        <translation>Списано баллов</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Начислено баллов</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Возврат</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Кассир</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Что</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Баллы</translation>
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
        <translation>Сотрудник</translation>
    </message>
    <message>
        <source>Money back</source>
        <translation>Деньги к возврату</translation>
    </message>
    <message>
        <source>Points given back</source>
        <translation>Баллов возвращено</translation>
    </message>
    <message>
        <source>Points taken back</source>
        <translation>Баллов списано обратно</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Карта</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Уровень</translation>
    </message>
    <message>
        <source>no active card</source>
        <translation>нет активной карты</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Loyalty terminal</source>
        <translation>Терминал лояльности</translation>
    </message>
    <message>
        <source>Shop details</source>
        <translation>Данные магазина</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Владелец</translation>
    </message>
    <message>
        <source>Owner: {screen}</source>
        <translation>Владелец: {screen}</translation>
    </message>
    <message>
        <source>Till %1</source>
        <translation>Касса %1</translation>
    </message>
    <message>
        <source>{shop} — {till} — Loyalty terminal</source>
        <translation>{shop} — {till} — Терминал лояльности</translation>
    </message>
    <message>
        <source>{shop} · {till}</source>
        <translation>{shop} · {till}</translation>
    </message>
    <message>
        <source>Database: {path}</source>
        <translation>База данных: {path}</translation>
    </message>
    <message>
        <source>Clock set back to {now}: set the date and time</source>
        <translation>Сбились часы: {now} — установите дату и время</translation>
    </message>
    <message>
        <source>This till&apos;s last entry was made at {last}. Sales, refunds and points take their dates from this computer&apos;s clock: points earned while it is wrong can expire at once when it is put right, and the day&apos;s figures miss the sales.</source>
        <translation>Последняя запись этой кассы сделана {last}. Продажи, возвраты и баллы получают дату с часов этого компьютера: баллы, начисленные при неверных часах, могут сгореть сразу, как только часы исправят, а итоги дня не учтут эти продажи.</translation>
    </message>
    <message>
        <source>Last backup: {when}</source>
        <translation>Последняя копия: {when}</translation>
    </message>
    <message>
        <source> (overdue: make one now)</source>
        <translation> (просрочена: сделайте копию сейчас)</translation>
    </message>
    <message>
        <source>Waiting for sync: {n}</source>
        <translation>Ожидают синхронизации: {n}</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>That is a product barcode, not one of our loyalty cards.</source>
        <translation>Это штрихкод товара, а не наша карта лояльности.</translation>
    </message>
    <message>
        <source>No customer has this card.</source>
        <translation>Ни у одного клиента нет этой карты.</translation>
    </message>
    <message>
        <source>No customer found. Check the number or try part of the name.</source>
        <translation>Клиент не найден. Проверьте номер или попробуйте часть имени.</translation>
    </message>
    <message>
        <source>The database is busy (another program is writing). Retrying…</source>
        <translation>База данных занята (пишет другая программа). Повторяем…</translation>
    </message>
    <message>
        <source>The sale could not be saved: the disk is full or read-only. Nothing was charged. Tell the owner; the till keeps working for lookups.</source>
        <translation>Продажу не удалось сохранить: диск заполнен или доступен только для чтения. Ничего не списано. Сообщите владельцу; касса продолжает работать для поиска.</translation>
    </message>
    <message>
        <source>The figures changed since you read them out. Check the new figures and press Enter again.</source>
        <translation>Цифры изменились с тех пор, как вы их озвучили. Проверьте новые цифры и снова нажмите Enter.</translation>
    </message>
    <message>
        <source>Scan or type a card number.</source>
        <translation>Отсканируйте или введите номер карты.</translation>
    </message>
    <message>
        <source>The scan was not readable. Scan the card again.</source>
        <translation>Скан не читается. Отсканируйте карту ещё раз.</translation>
    </message>
    <message>
        <source>Wrong check digit: the card was misread or mistyped. Scan it again.</source>
        <translation>Неверная контрольная цифра: карта считана или набрана с ошибкой. Отсканируйте её снова.</translation>
    </message>
    <message>
        <source>Card {card} is blocked. Do not accept it; the customer can ask at the desk.</source>
        <translation>Карта {card} заблокирована. Не принимайте её; клиент может обратиться на стойку клиентов.</translation>
    </message>
    <message>
        <source>{name} already has this phone number.</source>
        <translation>У клиента {name} уже есть этот номер телефона.</translation>
    </message>
    <message>
        <source>That is not a card number: it has {n} digits, a card has {card}.</source>
        <translation>Это не номер карты: цифр в нём — {n}, а в номере карты — {card}.</translation>
    </message>
    <message>
        <source>Card {card} is new and not given to anyone yet. Press F4 to register a customer with it.</source>
        <translation>Карта {card} новая и ещё никому не выдана. Нажмите F4, чтобы зарегистрировать клиента с ней.</translation>
    </message>
    <message>
        <source>Card {card} is not known here. Check the number, or press F4 to register a customer with it.</source>
        <translation>Карта {card} здесь неизвестна. Проверьте номер или нажмите F4, чтобы зарегистрировать клиента с ней.</translation>
    </message>
    <message>
        <source>Card {card} was replaced by a new card. Ask the customer for the new one, or look them up by phone.</source>
        <translation>Карта {card} заменена новой. Попросите у клиента новую карту или найдите его по телефону.</translation>
    </message>
</context>
<context>
    <name>NpsPrompt</name>
    <message>
        <source>Ask: how likely are you to recommend us, 0 to 10?</source>
        <translation>Спросите: порекомендуете ли нас? Оценка 0–10</translation>
    </message>
    <message>
        <source>skip</source>
        <translation>пропустить</translation>
    </message>
</context>
<context>
    <name>Outcomes</name>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n клиент</numerusform>
            <numerusform>%n клиента</numerusform>
            <numerusform>%n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n продажа</numerusform>
            <numerusform>%n продажи</numerusform>
            <numerusform>%n продаж</numerusform>
        </translation>
    </message>
    <message>
        <source>Backup made and verified: {customers}, {sales}.</source>
        <translation>Резервная копия создана и проверена: {customers}, {sales}.</translation>
    </message>
    <message>
        <source>The mirror folder {folder} is not available (unplugged?).</source>
        <translation>Папка для второй копии {folder} недоступна (флешка отключена?).</translation>
    </message>
    <message>
        <source>The copy to {folder} failed: {reason}.</source>
        <translation>Не удалось скопировать в {folder}: {reason}.</translation>
    </message>
    <message>
        <source>Restored {customers} and {sales} from {source}. The data as it was is kept in {aside}.</source>
        <translation>Восстановлено из {source}: {customers}, {sales}. Прежние данные сохранены в {aside}.</translation>
    </message>
    <message>
        <source>The slip was not printed: {reason}</source>
        <translation>Чек лояльности не напечатан: {reason}</translation>
    </message>
    <message>
        <source>The slip printer ({address}) is out of paper. Put in a new roll and print again.</source>
        <translation>В принтере чеков ({address}) закончилась бумага. Вставьте новый рулон и напечатайте снова.</translation>
    </message>
    <message>
        <source>The slip printer ({address}) does not answer. Check its cable and power, then print the slip again.</source>
        <translation>Принтер чеков ({address}) не отвечает. Проверьте кабель и питание, затем напечатайте чек снова.</translation>
    </message>
    <message>
        <source>The slip printer ({address}) is not connected or switched off. Check its cable and power, then print the slip again.</source>
        <translation>Принтер чеков ({address}) не подключён или выключен. Проверьте кабель и питание, затем напечатайте чек снова.</translation>
    </message>
    <message>
        <source>The slip printer ({address}) could not print. Check its cable and power, then print the slip again.</source>
        <translation>Принтер чеков ({address}) не смог напечатать. Проверьте кабель и питание, затем напечатайте чек снова.</translation>
    </message>
    <message>
        <source>No slip printer is set up: enter its address in Devices.</source>
        <translation>Принтер чеков не настроен: укажите его адрес в разделе «Устройства».</translation>
    </message>
    <message>
        <source>Slip printed.</source>
        <translation>Чек напечатан.</translation>
    </message>
    <message>
        <source>customer {customer}: cached balance {cached} but the ledger sums to {total}</source>
        <translation>клиент {customer}: сохранённый баланс {cached}, а по истории баллов {total}</translation>
    </message>
    <message>
        <source>customer {customer}: cached lifetime paid {cached} but sales less refunds make {total}</source>
        <translation>клиент {customer}: сохранённая сумма покупок {cached}, а продажи за вычетом возвратов дают {total}</translation>
    </message>
    <message>
        <source>customer {customer}: cached visits {cached} but there are {total} sales</source>
        <translation>клиент {customer}: сохранено визитов {cached}, а продаж {total}</translation>
    </message>
    <message>
        <source>points lot {lot}: remainder {cached} but its grant and movements make {total}</source>
        <translation>партия баллов {lot}: остаток {cached}, а начисление и движения дают {total}</translation>
    </message>
    <message>
        <source>points lot {lot}: remainder {cached} is below zero</source>
        <translation>партия баллов {lot}: остаток {cached} ниже нуля</translation>
    </message>
    <message>
        <source>customer {customer}: live lots hold {live} points but the balance is {balance}</source>
        <translation>клиент {customer}: в действующих партиях {live} баллов, а баланс {balance}</translation>
    </message>
    <message>
        <source>sale {sale}: refunded {cached} in its cache but its refunds add up to {total}</source>
        <translation>продажа {sale}: сохранено возвращено {cached}, а возвраты дают {total}</translation>
    </message>
    <message>
        <source>sale {sale}: refunded {refunded}, more than its amount {amount}</source>
        <translation>продажа {sale}: возвращено {refunded}, больше её суммы {amount}</translation>
    </message>
    <message>
        <source>journal of till {till}: {events} events but sequence numbers run from {first} to {last}</source>
        <translation>журнал кассы {till}: событий {events}, а номера идут от {first} до {last}</translation>
    </message>
    <message>
        <source>report figures {table}: the row for {key} differs from the facts it counts</source>
        <translation>показатели отчёта {table}: строка {key} расходится с фактами, которые она считает</translation>
    </message>
    <message>
        <source>SQLite integrity: {line}</source>
        <translation>Целостность SQLite: {line}</translation>
    </message>
    <message>
        <source>broken reference in {table} row {row} to {parent}</source>
        <translation>битая ссылка в {table}, строка {row}, на {parent}</translation>
    </message>
    <message>
        <source>… and more of the same</source>
        <translation>… и ещё такие же</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>Owner PIN</source>
        <translation>PIN владельца</translation>
    </message>
    <message>
        <source>No owner PIN is set yet. Choose one (4 to 8 digits) and type it twice.</source>
        <translation>PIN владельца ещё не задан. Выберите его (от 4 до 8 цифр) и введите дважды.</translation>
    </message>
    <message>
        <source>Owner screens are locked. Type the owner PIN.</source>
        <translation>Экраны владельца заблокированы. Введите PIN владельца.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>The same PIN again</source>
        <translation>Тот же PIN ещё раз</translation>
    </message>
    <message>
        <source>The two PINs differ. Type them again.</source>
        <translation>PIN-коды не совпадают. Введите их снова.</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Владелец</translation>
    </message>
    <message>
        <source>Wrong PIN. Tries left before a 5-minute lock: %1.</source>
        <translation>Неверный PIN. Попыток до блокировки на 5 минут: %1.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again at %1.</source>
        <translation>Слишком много неверных PIN. Попробуйте снова в %1.</translation>
    </message>
</context>
<context>
    <name>Points</name>
    <message numerus="yes">
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n балл</numerusform>
            <numerusform>%n балла</numerusform>
            <numerusform>%n баллов</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PrivacyPdf</name>
    <message>
        <source>in use</source>
        <translation>действует</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>заблокирована</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>заменена</translation>
    </message>
    <message>
        <source>not given out</source>
        <translation>не выдана</translation>
    </message>
    <message>
        <source>complaint</source>
        <translation>жалоба</translation>
    </message>
    <message>
        <source>suggestion</source>
        <translation>предложение</translation>
    </message>
    <message>
        <source>praise</source>
        <translation>благодарность</translation>
    </message>
    <message>
        <source>open</source>
        <translation>открыто</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>решено</translation>
    </message>
    <message>
        <source>at the till</source>
        <translation>на кассе</translation>
    </message>
    <message>
        <source>recorded by the shop</source>
        <translation>записано магазином</translation>
    </message>
    <message>
        <source>at the desk</source>
        <translation>у стойки обслуживания</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
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
        <translation>День рождения</translation>
    </message>
    <message>
        <source>Agrees to offers</source>
        <translation>Согласие на предложения</translation>
    </message>
    <message>
        <source>Answer given</source>
        <translation>Когда дан ответ</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Points balance</source>
        <translation>Баланс баллов</translation>
    </message>
    <message>
        <source>Paid in total</source>
        <translation>Оплачено всего</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Визиты</translation>
    </message>
    <message>
        <source>Card number</source>
        <translation>Номер карты</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Выдана</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Оплачено</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Начислено баллов</translation>
    </message>
    <message>
        <source>Points spent</source>
        <translation>Списано баллов</translation>
    </message>
    <message>
        <source>Money back</source>
        <translation>Возвращено денег</translation>
    </message>
    <message>
        <source>Points taken back</source>
        <translation>Баллов списано обратно</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Что</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Баллы</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Given</source>
        <translation>Начислены</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Осталось</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Сгорают</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Оценка</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Где</translation>
    </message>
    <message>
        <source>{shop}: the data we store about you</source>
        <translation>{shop}: какие данные о вас мы храним</translation>
    </message>
    <message>
        <source>Exported {when}. Amounts in {currency}.</source>
        <translation>Выгружено {when}. Суммы в {currency}.</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Профиль</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>Карты</translation>
    </message>
    <message>
        <source>Purchases</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>Возвраты</translation>
    </message>
    <message>
        <source>Points history</source>
        <translation>История баллов</translation>
    </message>
    <message>
        <source>Points and their expiry</source>
        <translation>Баллы и сроки их действия</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>Отзывы</translation>
    </message>
    <message>
        <source>Recommendation answers</source>
        <translation>Ответы о рекомендации</translation>
    </message>
    <message>
        <source>Consent to offers</source>
        <translation>Согласие на предложения</translation>
    </message>
    <message>
        <source>Customer data export</source>
        <translation>Выгрузка данных клиента</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Customer since</source>
        <translation>Клиент с</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Нет.</translation>
    </message>
    <message>
        <source>Your profile: name, phone, e-mail and birthday as you gave them, whether you agreed to offers, and the totals we keep (points balance, amount paid, visits).</source>
        <translation>Ваш профиль: имя, телефон, e-mail и день рождения в том виде, как вы их сообщили, согласились ли вы получать предложения, и итоги, которые мы ведём (баланс баллов, сумма оплат, визиты).</translation>
    </message>
    <message>
        <source>Your loyalty card numbers and their status.</source>
        <translation>Номера ваших карт лояльности и их состояние.</translation>
    </message>
    <message>
        <source>Every purchase made with your card: amount, discount, points earned and spent.</source>
        <translation>Каждая покупка по вашей карте: сумма, скидка, начисленные и списанные баллы.</translation>
    </message>
    <message>
        <source>Returns of those purchases.</source>
        <translation>Возвраты этих покупок.</translation>
    </message>
    <message>
        <source>Every change to your points, with its reason.</source>
        <translation>Каждое изменение ваших баллов с его причиной.</translation>
    </message>
    <message>
        <source>Points in groups as they were given, with their expiry dates.</source>
        <translation>Баллы группами, как они начислялись, со сроками действия.</translation>
    </message>
    <message>
        <source>Comments and complaints you left with us.</source>
        <translation>Ваши отзывы и жалобы.</translation>
    </message>
    <message>
        <source>Your answers to &apos;would you recommend us&apos; (0-10).</source>
        <translation>Ваши ответы на вопрос «порекомендуете ли вы нас» (0–10).</translation>
    </message>
    <message>
        <source>Each time you agreed to or declined offers, with the date.</source>
        <translation>Каждый раз, когда вы соглашались или отказывались получать предложения, с датой.</translation>
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
        <translation>Вид программы</translation>
    </message>
    <message>
        <source>Value of one point</source>
        <translation>Стоимость одного балла</translation>
    </message>
    <message>
        <source>Points may pay up to</source>
        <translation>Баллами можно оплатить до</translation>
    </message>
    <message>
        <source>Minimum balance to spend points</source>
        <translation>Минимальный баланс для списания баллов</translation>
    </message>
    <message>
        <source>Minimum check to earn points</source>
        <translation>Минимальный чек для начисления баллов</translation>
    </message>
    <message>
        <source>Earn on the part paid with points</source>
        <translation>Начислять на часть, оплаченную баллами</translation>
    </message>
    <message>
        <source>Points expire after (days)</source>
        <translation>Баллы сгорают через (дней)</translation>
    </message>
    <message>
        <source>Welcome bonus</source>
        <translation>Приветственный бонус</translation>
    </message>
    <message>
        <source>Birthday bonus</source>
        <translation>Бонус на день рождения</translation>
    </message>
    <message>
        <source>Birthday window (days either side)</source>
        <translation>Окно дня рождения (± дней)</translation>
    </message>
    <message>
        <source>Referral bonus for the referrer</source>
        <translation>Реферальный бонус пригласившему</translation>
    </message>
    <message>
        <source>Referral bonus for the newcomer</source>
        <translation>Реферальный бонус новичку</translation>
    </message>
    <message>
        <source>Minimum first check for the referral bonus</source>
        <translation>Минимальный первый чек для реферального бонуса</translation>
    </message>
    <message>
        <source>Visit milestones</source>
        <translation>Бонусы за визиты</translation>
    </message>
    <message>
        <source>Promotions</source>
        <translation>Акции</translation>
    </message>
    <message>
        <source>When promotions overlap</source>
        <translation>Когда акции совпадают</translation>
    </message>
    <message>
        <source>Purchase categories</source>
        <translation>Категории покупок</translation>
    </message>
    <message>
        <source>Extras</source>
        <translation>Дополнительно</translation>
    </message>
    <message>
        <source>bonus</source>
        <translation>баллы (кешбэк)</translation>
    </message>
    <message>
        <source>hybrid</source>
        <translation>скидка и баллы</translation>
    </message>
    <message>
        <source>best</source>
        <translation>действует самая выгодная</translation>
    </message>
    <message>
        <source>sum</source>
        <translation>складываются</translation>
    </message>
    <message>
        <source>discount</source>
        <translation>скидка</translation>
    </message>
    <message>
        <source>{rate} %</source>
        <translation>{rate} %</translation>
    </message>
    <message>
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <source>visit {visit}: +{points}</source>
        <translation>визит {visit}: +{points}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>New tier {name}: from {threshold}, {earn} points, {discount} discount</source>
        <translation>Новый уровень {name}: от {threshold}, баллы {earn}, скидка {discount}</translation>
    </message>
    <message>
        <source>{name} starts at {old} → {new}</source>
        <translation>{name}: порог {old} → {new}</translation>
    </message>
    <message>
        <source>{name} points {old} → {new}</source>
        <translation>{name}: баллы {old} → {new}</translation>
    </message>
    <message>
        <source>{name} discount {old} → {new}</source>
        <translation>{name}: скидка {old} → {new}</translation>
    </message>
    <message>
        <source>Tier {name} removed</source>
        <translation>Уровень {name} удалён</translation>
    </message>
</context>
<context>
    <name>ProgramForm</name>
    <message>
        <source>Promotion</source>
        <translation>Акция</translation>
    </message>
    <message>
        <source>Hours are written like 16:00–18:00.</source>
        <translation>Часы записываются так: 16:00–18:00.</translation>
    </message>
    <message>
        <source>Dates are written like 01.12.2026 – 31.12.2026.</source>
        <translation>Даты записываются так: 01.12.2026 – 31.12.2026.</translation>
    </message>
    <message>
        <source>“{date}” is not a date.</source>
        <translation>«{date}» — не дата.</translation>
    </message>
    <message>
        <source>{what}: at most 100 %.</source>
        <translation>{what}: не более 100 %.</translation>
    </message>
    <message>
        <source>{what}: type a whole number.</source>
        <translation>{what}: введите целое число.</translation>
    </message>
    <message>
        <source>“{day}” is not a day of the week.</source>
        <translation>«{day}» — не день недели.</translation>
    </message>
    <message>
        <source>{what}: “{text}” is not a percentage.</source>
        <translation>{what}: «{text}» — не процент.</translation>
    </message>
    <message>
        <source>“{time}” is not a time of day.</source>
        <translation>«{time}» — не время суток.</translation>
    </message>
    <message>
        <source>{what}: the multiplier is written like 2 or 1.5.</source>
        <translation>{what}: множитель записывается как 2 или 1,5.</translation>
    </message>
</context>
<context>
    <name>ProgramScreen</name>
    <message>
        <source>What customers get</source>
        <translation>Что получают клиенты</translation>
    </message>
    <message>
        <source>Points (cash-back)</source>
        <translation>Баллы (кешбэк)</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <source>Discount and points</source>
        <translation>Скидка и баллы</translation>
    </message>
    <message>
        <source>Tiers (by lifetime paid)</source>
        <translation>Уровни (по сумме всех покупок)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>From (paid)</source>
        <translation>От (оплачено)</translation>
    </message>
    <message>
        <source>Points %</source>
        <translation>Баллы, %</translation>
    </message>
    <message>
        <source>Discount %</source>
        <translation>Скидка, %</translation>
    </message>
    <message>
        <source>Add tier</source>
        <translation>Добавить уровень</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>Удалить выбранное</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Баллы</translation>
    </message>
    <message>
        <source>e.g. 1.00</source>
        <translation>напр. 1,00</translation>
    </message>
    <message>
        <source>empty: never</source>
        <translation>пусто: никогда</translation>
    </message>
    <message>
        <source>Earn on the part paid with points too</source>
        <translation>Начислять и на часть, оплаченную баллами</translation>
    </message>
    <message>
        <source>One point is worth</source>
        <translation>Один балл стоит</translation>
    </message>
    <message>
        <source>Points may pay up to, % of a check</source>
        <translation>Баллами можно оплатить до, % чека</translation>
    </message>
    <message>
        <source>Minimum balance to spend points</source>
        <translation>Минимальный баланс для списания</translation>
    </message>
    <message>
        <source>Minimum check to earn points</source>
        <translation>Минимальный чек для начисления</translation>
    </message>
    <message>
        <source>Points expire after, days</source>
        <translation>Баллы сгорают через, дней</translation>
    </message>
    <message>
        <source>Bonuses</source>
        <translation>Бонусы</translation>
    </message>
    <message>
        <source>Welcome, points</source>
        <translation>Приветственные, баллов</translation>
    </message>
    <message>
        <source>Birthday, points</source>
        <translation>На день рождения, баллов</translation>
    </message>
    <message>
        <source>Birthday window, ± days</source>
        <translation>Окно дня рождения, ± дней</translation>
    </message>
    <message>
        <source>Referral: to the referrer</source>
        <translation>Реферал: пригласившему</translation>
    </message>
    <message>
        <source>Referral: to the newcomer</source>
        <translation>Реферал: новичку</translation>
    </message>
    <message>
        <source>Referral: minimum first check</source>
        <translation>Реферал: минимальный первый чек</translation>
    </message>
    <message>
        <source>Promotions and categories</source>
        <translation>Акции и категории</translation>
    </message>
    <message>
        <source>e.g. Coffee, Pastry (empty: none)</source>
        <translation>напр. Кофе, Выпечка (пусто: нет)</translation>
    </message>
    <message>
        <source>Purchase categories</source>
        <translation>Категории покупок</translation>
    </message>
    <message>
        <source>the most generous one applies</source>
        <translation>действует самая выгодная</translation>
    </message>
    <message>
        <source>they add up</source>
        <translation>складываются</translation>
    </message>
    <message>
        <source>When promotions overlap</source>
        <translation>Когда акции пересекаются</translation>
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
        <translation>Дни</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Часы</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>Даты</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Категории</translation>
    </message>
    <message>
        <source>× multiplies the tier&apos;s rate (2 = double points); + % adds to it. Days like Mon–Fri, hours like 16:00–18:00, dates like 01.12.2026 – 31.12.2026; empty means always.</source>
        <translation>× умножает ставку уровня (2 = двойные баллы); + % добавляет к ней. Дни как Пн–Пт, часы как 16:00–18:00, даты как 01.12.2026 – 31.12.2026; пусто — всегда.</translation>
    </message>
    <message>
        <source>Add promotion</source>
        <translation>Добавить акцию</translation>
    </message>
    <message>
        <source>Happy hour</source>
        <translation>Счастливый час</translation>
    </message>
    <message>
        <source>Worked example</source>
        <translation>Пример расчёта</translation>
    </message>
    <message>
        <source>pays the most with points (balance 500)</source>
        <translation>платит баллами по максимуму (баланс 500)</translation>
    </message>
    <message>
        <source>A check of</source>
        <translation>Чек на</translation>
    </message>
    <message>
        <source>by a customer of</source>
        <translation>от клиента уровня</translation>
    </message>
    <message>
        <source>Changes from the version in force</source>
        <translation>Изменения относительно действующей версии</translation>
    </message>
    <message>
        <source>Why (optional), e.g. Winter promotion</source>
        <translation>Почему (необязательно), напр. Зимняя акция</translation>
    </message>
    <message>
        <source>Save as new version</source>
        <translation>Сохранить как новую версию</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>Отменить изменения</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Импорт…</translation>
    </message>
    <message>
        <source>Tier {n}</source>
        <translation>Уровень {n}</translation>
    </message>
    <message>
        <source>Point value</source>
        <translation>Стоимость балла</translation>
    </message>
    <message>
        <source>Cap</source>
        <translation>Предел</translation>
    </message>
    <message>
        <source>Minimum balance</source>
        <translation>Минимальный баланс</translation>
    </message>
    <message>
        <source>Minimum check</source>
        <translation>Минимальный чек</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>Срок действия</translation>
    </message>
    <message>
        <source>Welcome bonus</source>
        <translation>Приветственный бонус</translation>
    </message>
    <message>
        <source>Birthday bonus</source>
        <translation>Бонус на день рождения</translation>
    </message>
    <message>
        <source>Birthday window</source>
        <translation>Окно дня рождения</translation>
    </message>
    <message>
        <source>Referral bonus</source>
        <translation>Реферальный бонус</translation>
    </message>
    <message>
        <source>Referral minimum</source>
        <translation>Реферальный минимум</translation>
    </message>
    <message>
        <source>Expiry: leave it empty for points that never expire.</source>
        <translation>Срок действия: оставьте пустым, если баллы не сгорают.</translation>
    </message>
    <message>
        <source>Program version {version}, in force since {when}</source>
        <translation>Версия программы {version}, действует с {when}</translation>
    </message>
    <message>
        <source>Fix the field above to see the example.</source>
        <translation>Исправьте поле выше, чтобы увидеть пример.</translation>
    </message>
    <message>
        <source>No changes yet.</source>
        <translation>Изменений пока нет.</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Чек</translation>
    </message>
    <message>
        <source>Type a check amount for the example.</source>
        <translation>Введите сумму чека для примера.</translation>
    </message>
    <message>
        <source>A {amount} check by a {tier} customer:</source>
        <translation>Чек на {amount} от клиента уровня {tier}:</translation>
    </message>
    <message>
        <source>discount {discount}, points used {used}, to pay {to_pay},</source>
        <translation>скидка {discount}, списано баллов {used}, к оплате {to_pay},</translation>
    </message>
    <message>
        <source>points earned {points}.</source>
        <translation>начислено баллов {points}.</translation>
    </message>
    <message>
        <source>Saved as version {version}. The next sale uses it; past sales keep theirs.</source>
        <translation>Сохранено как версия {version}. Следующая продажа использует её; прошлые продажи сохраняют свою.</translation>
    </message>
    <message>
        <source>Export the program</source>
        <translation>Экспорт программы</translation>
    </message>
    <message>
        <source>Program written to {path}.</source>
        <translation>Программа записана в {path}.</translation>
    </message>
    <message>
        <source>Import a program</source>
        <translation>Импорт программы</translation>
    </message>
    <message>
        <source>Loaded from the file: check the changes, then save.</source>
        <translation>Загружено из файла: проверьте изменения, затем сохраните.</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <source>Refund</source>
        <translation>Возврат</translation>
    </message>
    <message>
        <source>Refund a sale</source>
        <translation>Возврат продажи</translation>
    </message>
    <message>
        <source>Sale of {when}: {amount}, paid {paid}; {left} can still be refunded.</source>
        <translation>Продажа от {when}: {amount}, оплачено {paid}; ещё можно вернуть {left}.</translation>
    </message>
    <message>
        <source>Amount to refund</source>
        <translation>Сумма возврата</translation>
    </message>
    <message>
        <source>empty = everything left</source>
        <translation>пусто = всё, что осталось</translation>
    </message>
    <message>
        <source>Money back</source>
        <translation>Деньги к возврату</translation>
    </message>
    <message>
        <source>Points given back</source>
        <translation>Баллов возвращено</translation>
    </message>
    <message>
        <source>Points taken back</source>
        <translation>Баллов списано обратно</translation>
    </message>
    <message>
        <source>Cancel  [Esc]</source>
        <translation>Отмена  [Esc]</translation>
    </message>
    <message>
        <source>Refund  [Enter]</source>
        <translation>Вернуть  [Enter]</translation>
    </message>
</context>
<context>
    <name>RegistrationDialog</name>
    <message>
        <source>New customer</source>
        <translation>Новый клиент</translation>
    </message>
    <message>
        <source>First and last name</source>
        <translation>Имя и фамилия</translation>
    </message>
    <message>
        <source>e.g. 067 123 45 67</source>
        <translation>напр. 067 123 45 67</translation>
    </message>
    <message>
        <source>optional, e.g. 31.12.1990</source>
        <translation>необязательно, напр. 31.12.1990</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>необязательно</translation>
    </message>
    <message>
        <source>Agrees to receive messages</source>
        <translation>Согласен получать сообщения</translation>
    </message>
    <message>
        <source>Read to the customer: “We will send you messages about your points and our offers by SMS or e-mail. You can say no now, or stop them at any time.”</source>
        <translation>Прочитайте клиенту: «Мы будем присылать вам сообщения о ваших баллах и наших предложениях по SMS или e-mail. Вы можете отказаться сейчас или отписаться в любой момент».</translation>
    </message>
    <message>
        <source>optional: click here, then scan the friend&apos;s card</source>
        <translation>необязательно: щёлкните здесь и отсканируйте карту друга</translation>
    </message>
    <message>
        <source>scan a pre-printed card, or leave empty for a new number</source>
        <translation>отсканируйте предпечатанную карту или оставьте пустым для нового номера</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Имя</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>&amp;Телефон</translation>
    </message>
    <message>
        <source>&amp;Birthday</source>
        <translation>&amp;День рождения</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>&amp;Эл. почта</translation>
    </message>
    <message>
        <source>&amp;Referred by</source>
        <translation>&amp;Кто пригласил</translation>
    </message>
    <message>
        <source>&amp;Card</source>
        <translation>&amp;Карта</translation>
    </message>
    <message>
        <source>&amp;Open this customer instead</source>
        <translation>&amp;Открыть этого клиента</translation>
    </message>
    <message>
        <source>Cancel  [Esc]</source>
        <translation>Отмена  [Esc]</translation>
    </message>
    <message>
        <source>Register  [Enter]</source>
        <translation>Зарегистрировать  [Enter]</translation>
    </message>
    <message>
        <source>Their card number</source>
        <translation>Номер их карты</translation>
    </message>
    <message>
        <source>&amp;Print their card  Ctrl+P</source>
        <translation>&amp;Напечатать карту  Ctrl+P</translation>
    </message>
    <message>
        <source>Start their sale  [Enter]</source>
        <translation>Начать продажу  [Enter]</translation>
    </message>
    <message>
        <source>Open them instead of registering twice?</source>
        <translation>Открыть его вместо повторной регистрации?</translation>
    </message>
    <message>
        <source>&amp;Open {name} instead</source>
        <translation>&amp;Открыть: {name}</translation>
    </message>
    <message>
        <source>Welcome, {name}!</source>
        <translation>Добро пожаловать, {name}!</translation>
    </message>
    <message>
        <source>The pre-printed card they hold is now theirs.</source>
        <translation>Предпечатанная карта клиента теперь принадлежит ему.</translation>
    </message>
    <message>
        <source>A new number was issued: print their card now (Ctrl+P), or write the number on a blank card.</source>
        <translation>Выдан новый номер: напечатайте карту сейчас (Ctrl+P) или впишите номер на чистую карту.</translation>
    </message>
    <message>
        <source>Welcome bonus: {points} points.</source>
        <translation>Приветственный бонус, баллов: {points}.</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>Save as CSV</source>
        <translation>Сохранить в CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>SalePanel</name>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Pay with points:</source>
        <translation>Оплата баллами:</translation>
    </message>
    <message>
        <source>No  [−]</source>
        <translation>Нет  [−]</translation>
    </message>
    <message>
        <source>Maximum  [+]</source>
        <translation>Макс.  [+]</translation>
    </message>
    <message>
        <source>Points  [*]</source>
        <translation>Баллы  [*]</translation>
    </message>
    <message>
        <source>points</source>
        <translation>баллы</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <source>Points used</source>
        <translation>Списано баллов</translation>
    </message>
    <message>
        <source>Points to earn</source>
        <translation>Будет начислено</translation>
    </message>
    <message>
        <source>New balance</source>
        <translation>Новый баланс</translation>
    </message>
    <message>
        <source>To pay</source>
        <translation>К оплате</translation>
    </message>
    <message>
        <source>Confirm sale</source>
        <translation>Подтвердить продажу</translation>
    </message>
    <message>
        <source>Next customer</source>
        <translation>Следующий клиент</translation>
    </message>
    <message>
        <source>No card</source>
        <translation>Без карты</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Category  [/]:</source>
        <translation>Категория  [/]:</translation>
    </message>
    <message>
        <source>Amount — sale without a card</source>
        <translation>Сумма — продажа без карты</translation>
    </message>
    <message>
        <source>Amount — scan a card first, or F5 for no card</source>
        <translation>Сумма — сначала отсканируйте карту или F5 без карты</translation>
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
        <translation>Без карты баллы не начисляются.</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <source>Backups</source>
        <translation>Копии</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>Карты</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Касса</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Отчёты</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>Отзывы</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Импорт</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Программа</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Устройства</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Сотрудники</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Синхронизация</translation>
    </message>
</context>
<context>
    <name>SelfTest</name>
    <message>
        <source>database created and migrated</source>
        <translation>база данных создана и обновлена</translation>
    </message>
    <message>
        <source>nothing tried the network</source>
        <translation>никто не обращался к сети</translation>
    </message>
    <message>
        <source>self-test passed in {seconds} s</source>
        <translation>самопроверка пройдена за {seconds} с</translation>
    </message>
    <message>
        <source>self-test FAILED in {seconds} s</source>
        <translation>самопроверка НЕ ПРОЙДЕНА за {seconds} с</translation>
    </message>
    <message>
        <source>one core here: bundles are imported in one process</source>
        <translation>здесь одно ядро: пакеты импортируются в одном процессе</translation>
    </message>
    <message>
        <source>sale and refund on card {card}: balance 100 → 45 → 100</source>
        <translation>продажа и возврат по карте {card}: баланс 100 → 45 → 100</translation>
    </message>
    <message>
        <source>books balance ({events} journal events)</source>
        <translation>учёт сходится (событий в журнале: {events})</translation>
    </message>
    <message>
        <source>the card PDF is empty</source>
        <translation>PDF карты пуст</translation>
    </message>
    <message>
        <source>card PDF rendered ({size} KB)</source>
        <translation>PDF карты создан ({size} КБ)</translation>
    </message>
    <message>
        <source>a bundle of {events} events imported by {workers} worker processes</source>
        <translation>пакет из {events} событий импортирован {workers} рабочими процессами</translation>
    </message>
    <message>
        <source>main window built and shown in {seconds} s</source>
        <translation>главное окно создано и показано за {seconds} с</translation>
    </message>
    <message>
        <source>translations load: {languages}</source>
        <translation>переводы загружаются: {languages}</translation>
    </message>
    <message>
        <source>the sync worker processes did not start (see the log)</source>
        <translation>рабочие процессы синхронизации не запустились (см. журнал)</translation>
    </message>
    <message>
        <source>unexpected sale figures: {sale}</source>
        <translation>неожиданные цифры продажи: {sale}</translation>
    </message>
    <message>
        <source>unexpected balance after refund: {balance}</source>
        <translation>неожиданный баланс после возврата: {balance}</translation>
    </message>
    <message>
        <source>the imported balances differ</source>
        <translation>импортированные балансы не совпадают</translation>
    </message>
    <message>
        <source>something tried the network: {calls}</source>
        <translation>что-то обратилось к сети: {calls}</translation>
    </message>
    <message>
        <source>{language} is not available</source>
        <translation>язык {language} недоступен</translation>
    </message>
    <message>
        <source>{language} translation not loaded: {got}</source>
        <translation>перевод {language} не загружен: {got}</translation>
    </message>
</context>
<context>
    <name>ShopDevicesScreen</name>
    <message>
        <source>Devices</source>
        <translation>Устройства</translation>
    </message>
    <message>
        <source>Customer display</source>
        <translation>Экран покупателя</translation>
    </message>
    <message>
        <source>Show points and greetings to the customer on a second monitor</source>
        <translation>Показывать баллы и приветствия покупателю на втором мониторе</translation>
    </message>
    <message>
        <source>Monitor:</source>
        <translation>Монитор:</translation>
    </message>
    <message>
        <source>Save and open the display</source>
        <translation>Сохранить и открыть экран</translation>
    </message>
    <message>
        <source>Slip printer (ESC/POS receipt printer)</source>
        <translation>Принтер чеков (ESC/POS)</translation>
    </message>
    <message>
        <source>Print a loyalty slip after each sale with a card</source>
        <translation>Печатать чек лояльности после каждой продажи с картой</translation>
    </message>
    <message>
        <source>Printer address:</source>
        <translation>Адрес принтера:</translation>
    </message>
    <message>
        <source>usb:VID:PID (e.g. usb:0416:5011), serial:/dev/ttyUSB0 (Windows: serial:COM3), network:192.168.1.50 — as written on the printer&apos;s self-test page</source>
        <translation>usb:VID:PID (напр. usb:0416:5011), serial:/dev/ttyUSB0 (Windows: serial:COM3), network:192.168.1.50 — как указано на странице самотестирования принтера</translation>
    </message>
    <message>
        <source>Paper width:</source>
        <translation>Ширина бумаги:</translation>
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
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Print test slip</source>
        <translation>Напечатать тестовый чек</translation>
    </message>
    <message>
        <source>The customer display is on.</source>
        <translation>Экран покупателя включён.</translation>
    </message>
    <message>
        <source>The customer display is off.</source>
        <translation>Экран покупателя выключен.</translation>
    </message>
    <message>
        <source>Printer settings saved.</source>
        <translation>Настройки принтера сохранены.</translation>
    </message>
    <message>
        <source>Type the printer&apos;s address in the field above, then print the test slip.</source>
        <translation>Введите адрес принтера в поле выше, затем напечатайте тестовый чек.</translation>
    </message>
    <message>
        <source>Printing a test slip…</source>
        <translation>Печатаем тестовый чек…</translation>
    </message>
    <message>
        <source>Test slip printed. Check the paper.</source>
        <translation>Тестовый чек напечатан. Проверьте бумагу.</translation>
    </message>
</context>
<context>
    <name>Slip</name>
    <message>
        <source>TEST SLIP</source>
        <translation>ПРОБНЫЙ ЧЕК</translation>
    </message>
    <message>
        <source>The printer works.</source>
        <translation>Принтер работает.</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>Карта лояльности</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Уровень</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Начислено баллов</translation>
    </message>
    <message>
        <source>Bonus points</source>
        <translation>Бонусные баллы</translation>
    </message>
    <message>
        <source>Points spent</source>
        <translation>Списано баллов</translation>
    </message>
    <message>
        <source>Points this visit</source>
        <translation>Баллов за визит</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Баланс</translation>
    </message>
    <message>
        <source>Expire {day}</source>
        <translation>Сгорают {day}</translation>
    </message>
    <message>
        <source>Show this code next time</source>
        <translation>Покажите этот код в следующий раз</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Staff</source>
        <translation>Сотрудники</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>PIN, 4–8 digits</source>
        <translation>PIN, 4–8 цифр</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Кассир</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Владелец</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Set this PIN for the chosen person</source>
        <translation>Задать этот PIN выбранному сотруднику</translation>
    </message>
    <message>
        <source>Switch on/off</source>
        <translation>Включить/выключить</translation>
    </message>
    <message>
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <source>Sign an idle cashier at this till out:</source>
        <translation>Автовыход кассира на этой кассе:</translation>
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
        <translation>Действия владельца</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Кто</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Что</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Работает</translation>
    </message>
    <message>
        <source>Switched off</source>
        <translation>Выключено</translation>
    </message>
    <message>
        <source>Choose a person in the list first.</source>
        <translation>Сначала выберите сотрудника в списке.</translation>
    </message>
    <message>
        <source>Added.</source>
        <translation>Добавлено.</translation>
    </message>
    <message>
        <source>PIN changed.</source>
        <translation>PIN изменён.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message numerus="yes">
        <source>after %n minute(s) without a key press</source>
        <translation>
            <numerusform>через %n минуту без нажатия клавиш</numerusform>
            <numerusform>через %n минуты без нажатия клавиш</numerusform>
            <numerusform>через %n минут без нажатия клавиш</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncScreen</name>
    <message numerus="yes">
        <source>received %n event(s)</source>
        <translation>
            <numerusform>получено %n событие</numerusform>
            <numerusform>получено %n события</numerusform>
            <numerusform>получено %n событий</numerusform>
        </translation>
    </message>
    <message>
        <source>It did not work: %1</source>
        <translation>Не получилось: %1</translation>
    </message>
    <message>
        <source>Folder sync has not run yet.</source>
        <translation>Синхронизация через папку ещё не выполнялась.</translation>
    </message>
    <message numerus="yes">
        <source>sent %n event(s)</source>
        <translation>
            <numerusform>отправлено %n событие</numerusform>
            <numerusform>отправлено %n события</numerusform>
            <numerusform>отправлено %n событий</numerusform>
        </translation>
    </message>
    <message>
        <source>Last folder sync: %1 — %2</source>
        <translation>Последняя синхронизация через папку: %1 — %2</translation>
    </message>
    <message>
        <source>Last folder sync: %1 — %2.</source>
        <translation>Последняя синхронизация через папку: %1 — %2.</translation>
    </message>
    <message>
        <source>%1 refused: %2</source>
        <translation>%1 отклонён: %2</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Синхронизация</translation>
    </message>
    <message>
        <source>This till&apos;s news</source>
        <translation>Новости этой кассы</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Касса</translation>
    </message>
    <message>
        <source>Its news here, up to</source>
        <translation>Её новости здесь — до</translation>
    </message>
    <message>
        <source>Export bundle to folder…</source>
        <translation>Выгрузить пакет в папку…</translation>
    </message>
    <message>
        <source>Import bundle…</source>
        <translation>Загрузить пакет…</translation>
    </message>
    <message>
        <source>Folder sync (shared or USB folder)</source>
        <translation>Синхронизация через папку (общая папка или флешка)</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>Выбрать папку…</translation>
    </message>
    <message>
        <source>Sync:</source>
        <translation>Синхронизировать:</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>выключено</translation>
    </message>
    <message numerus="yes">
        <source>every %n minute(s)</source>
        <translation>
            <numerusform>каждую %n минуту</numerusform>
            <numerusform>каждые %n минуты</numerusform>
            <numerusform>каждые %n минут</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync with folder now</source>
        <translation>Синхронизировать с папкой сейчас</translation>
    </message>
    <message>
        <source>Sync server (PostgreSQL)</source>
        <translation>Сервер синхронизации (PostgreSQL)</translation>
    </message>
    <message>
        <source>For tills in different places: each one sends its news to the server and fetches the others&apos;. Sales go on when the server cannot be reached.</source>
        <translation>Для касс в разных местах: каждая отправляет свои новости на сервер и забирает чужие. Если сервер недоступен, продажи продолжаются.</translation>
    </message>
    <message>
        <source>Save address</source>
        <translation>Сохранить адрес</translation>
    </message>
    <message>
        <source>Push and pull now</source>
        <translation>Отправить и получить сейчас</translation>
    </message>
    <message>
        <source>Tills of this shop</source>
        <translation>Кассы этого магазина</translation>
    </message>
    <message>
        <source>New till number:</source>
        <translation>Номер новой кассы:</translation>
    </message>
    <message>
        <source>Create pairing file for a new till…</source>
        <translation>Создать файл подключения для новой кассы…</translation>
    </message>
    <message>
        <source>Join a shop from a pairing file…</source>
        <translation>Подключиться к магазину по файлу подключения…</translation>
    </message>
    <message>
        <source>Noticed</source>
        <translation>Замечено</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Покупатель</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Что произошло</translation>
    </message>
    <message>
        <source>Mark as dealt with</source>
        <translation>Отметить как решённое</translation>
    </message>
    <message>
        <source>Once you have sorted it out with the customer: the conflict leaves this list here and on the other tills.</source>
        <translation>Когда вы уладили это с покупателем: конфликт уйдёт из этого списка здесь и на других кассах.</translation>
    </message>
    <message>
        <source>Select a conflict you have dealt with.</source>
        <translation>Выберите конфликт, который вы уже уладили.</translation>
    </message>
    <message>
        <source>This is till %1 of %2.</source>
        <translation>Это касса %1 магазина «%2».</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) of its own</source>
        <translation>
            <numerusform>%n собственное событие</numerusform>
            <numerusform>%n собственных события</numerusform>
            <numerusform>%n собственных событий</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting for sync.</source>
        <translation>
            <numerusform>%n ждёт синхронизации.</numerusform>
            <numerusform>%n ждут синхронизации.</numerusform>
            <numerusform>%n ждут синхронизации.</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder: %1</source>
        <translation>Папка: %1</translation>
    </message>
    <message>
        <source>No folder chosen. Choose a shared or USB folder all tills can reach.</source>
        <translation>Папка не выбрана. Выберите общую папку или флешку, доступную всем кассам.</translation>
    </message>
    <message>
        <source>Another till of the shop has this till&apos;s number: make a pairing file with a new number on the owner&apos;s till and join it here to take that number.</source>
        <translation>У другой кассы магазина такой же номер, как у этой: создайте на кассе владельца файл подключения с новым номером и подключитесь по нему здесь, чтобы получить этот номер.</translation>
    </message>
    <message>
        <source>This till is new and empty: it can join a shop.</source>
        <translation>Эта касса новая и пустая: она может подключиться к магазину.</translation>
    </message>
    <message>
        <source>Nothing sent yet.</source>
        <translation>Пока ничего не отправлено.</translation>
    </message>
    <message>
        <source>Nothing received yet.</source>
        <translation>Пока ничего не получено.</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n событие</numerusform>
            <numerusform>%n события</numerusform>
            <numerusform>%n событий</numerusform>
        </translation>
    </message>
    <message>
        <source>exported to a bundle</source>
        <translation>выгружено в пакет</translation>
    </message>
    <message>
        <source>pushed to the sync server</source>
        <translation>отправлено на сервер синхронизации</translation>
    </message>
    <message>
        <source>imported from a bundle</source>
        <translation>загружено из пакета</translation>
    </message>
    <message>
        <source>pulled from the sync server</source>
        <translation>получено с сервера синхронизации</translation>
    </message>
    <message>
        <source>through the sync folder</source>
        <translation>через папку синхронизации</translation>
    </message>
    <message>
        <source>Last sent: %1 — %2</source>
        <translation>Последняя отправка: %1 — %2</translation>
    </message>
    <message>
        <source>Last received: %1 — %2 from till %3</source>
        <translation>Последнее получение: %1 — %2 от кассы %3</translation>
    </message>
    <message>
        <source>Last received: %1 — %2</source>
        <translation>Последнее получение: %1 — %2</translation>
    </message>
    <message>
        <source>event no. %1</source>
        <translation>событие № %1</translation>
    </message>
    <message>
        <source>paired here; no news from it yet</source>
        <translation>подключена отсюда; новостей от неё пока нет</translation>
    </message>
    <message>
        <source>Other tills known here:</source>
        <translation>Другие кассы, известные здесь:</translation>
    </message>
    <message>
        <source>No other till is known here yet.</source>
        <translation>Других касс здесь пока нет.</translation>
    </message>
    <message>
        <source>Till %1</source>
        <translation>Касса %1</translation>
    </message>
    <message numerus="yes">
        <source>Conflicts to look at (%n)</source>
        <translation>
            <numerusform>Конфликты для проверки (%n)</numerusform>
            <numerusform>Конфликты для проверки (%n)</numerusform>
            <numerusform>Конфликты для проверки (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>Conflicts to look at: none</source>
        <translation>Конфликтов для проверки нет</translation>
    </message>
    <message>
        <source>(not on this till yet)</source>
        <translation>(на этой кассе пока нет)</translation>
    </message>
    <message>
        <source>Points were used twice on two tills while offline (spent, or taken back by two refunds of one sale); nothing is owed now.</source>
        <translation>Баллы использовали дважды на двух кассах без связи (потратили или списали двумя возвратами одной продажи); сейчас клиент ничего не должен.</translation>
    </message>
    <message numerus="yes">
        <source>Points were used twice on two tills while offline (spent, or taken back by two refunds of one sale): %n point(s) are still owed, and the next points the customer is given pay them back.</source>
        <translation>
            <numerusform>Баллы использовали дважды на двух кассах без связи (потратили или списали двумя возвратами одной продажи): ещё не возмещён %n балл, его покроют следующие баллы, начисленные клиенту.</numerusform>
            <numerusform>Баллы использовали дважды на двух кассах без связи (потратили или списали двумя возвратами одной продажи): ещё не возмещены %n балла, их покроют следующие баллы, начисленные клиенту.</numerusform>
            <numerusform>Баллы использовали дважды на двух кассах без связи (потратили или списали двумя возвратами одной продажи): ещё не возмещены %n баллов, их покроют следующие баллы, начисленные клиенту.</numerusform>
        </translation>
    </message>
    <message>
        <source>A refund on one till took back points the customer had already spent, while another till gave them points without knowing; it has been made good since.</source>
        <translation>Возврат на одной кассе списал баллы, которые клиент уже потратил, а другая касса, не зная об этом, начислила ему баллы; с тех пор это возмещено.</translation>
    </message>
    <message numerus="yes">
        <source>A refund on one till took back points the customer had already spent, while another till gave them points without knowing. The balance is right; their points lots hold %n point(s) more, which the next points the customer is given pay off.</source>
        <translation>
            <numerusform>Возврат на одной кассе списал баллы, которые клиент уже потратил, а другая касса, не зная об этом, начислила ему баллы. Баланс верный; в партиях баллов на %n балл больше, его погасят следующие баллы, начисленные клиенту.</numerusform>
            <numerusform>Возврат на одной кассе списал баллы, которые клиент уже потратил, а другая касса, не зная об этом, начислила ему баллы. Баланс верный; в партиях баллов на %n балла больше, их погасят следующие баллы, начисленные клиенту.</numerusform>
            <numerusform>Возврат на одной кассе списал баллы, которые клиент уже потратил, а другая касса, не зная об этом, начислила ему баллы. Баланс верный; в партиях баллов на %n баллов больше, их погасят следующие баллы, начисленные клиенту.</numerusform>
        </translation>
    </message>
    <message>
        <source>Card %1 was given to two customers. The later one keeps it; the other keeps their points but needs a new card.</source>
        <translation>Карта %1 выдана двум покупателям. Она остаётся у того, кому её выдали позже; другой сохраняет баллы, но ему нужна новая карта.</translation>
    </message>
    <message>
        <source>A sale was made with card %1 after another till had blocked it. The sale stands; the card stays blocked.</source>
        <translation>Продажа прошла по карте %1 после того, как другая касса её заблокировала. Продажа остаётся в силе; карта остаётся заблокированной.</translation>
    </message>
    <message>
        <source>Two tills both call themselves till %2: one pairing file was used on both, so the cards they give out can get the same numbers. Make a pairing file with a new number here and join it on one of the two: that till takes the new number.</source>
        <translation>Две кассы называют себя кассой %2: один файл подключения использовали на обеих, поэтому выдаваемые ими карты могут получить одинаковые номера. Создайте здесь файл подключения с новым номером и подключите по нему одну из двух: она получит новый номер.</translation>
    </message>
    <message>
        <source>A sale of %2 was refunded on two tills while offline: %3 more than its check went back. Both refunds stand; the sale cannot be refunded again.</source>
        <translation>Возврат продажи на %2 прошёл на двух кассах без связи: вернули на %3 больше, чем был чек. Оба возврата остаются в силе; эту продажу больше нельзя вернуть.</translation>
    </message>
    <message>
        <source>Mark as dealt with?</source>
        <translation>Отметить как решённое?</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) will leave the list, on this till and on the others once they have this till&apos;s news. Do this once you have sorted it out with the customer.</source>
        <translation>
            <numerusform>%n конфликт уйдёт из списка — на этой кассе и на других, когда к ним придут новости этой кассы. Делайте это, когда уладили всё с покупателем.</numerusform>
            <numerusform>%n конфликта уйдут из списка — на этой кассе и на других, когда к ним придут новости этой кассы. Делайте это, когда уладили всё с покупателем.</numerusform>
            <numerusform>%n конфликтов уйдут из списка — на этой кассе и на других, когда к ним придут новости этой кассы. Делайте это, когда уладили всё с покупателем.</numerusform>
        </translation>
    </message>
    <message>
        <source>Marking as dealt with…</source>
        <translation>Отмечаем как решённое…</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) marked as dealt with.</source>
        <translation>
            <numerusform>%n конфликт отмечен как решённый.</numerusform>
            <numerusform>%n конфликта отмечены как решённые.</numerusform>
            <numerusform>%n конфликтов отмечены как решённые.</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder for the bundle</source>
        <translation>Папка для пакета</translation>
    </message>
    <message>
        <source>Nothing new to export: the other tills have all of it.</source>
        <translation>Нечего выгружать: у других касс уже всё есть.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n event(s) to %1.</source>
        <translation>
            <numerusform>Выгружено %n событие в %1.</numerusform>
            <numerusform>Выгружено %n события в %1.</numerusform>
            <numerusform>Выгружено %n событий в %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Выгрузка…</translation>
    </message>
    <message>
        <source>Bundle to import</source>
        <translation>Пакет для загрузки</translation>
    </message>
    <message>
        <source>Till bundles (%1);;All files (*)</source>
        <translation>Пакеты касс (%1);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Nothing new in that bundle: this till already had all of it.</source>
        <translation>В этом пакете нет ничего нового: у этой кассы уже всё есть.</translation>
    </message>
    <message numerus="yes">
        <source>Till %1: %n new event(s) applied.</source>
        <translation>
            <numerusform>Касса %1: применено %n новое событие.</numerusform>
            <numerusform>Касса %1: применено %n новых события.</numerusform>
            <numerusform>Касса %1: применено %n новых событий.</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking and importing %1…</source>
        <translation>Проверка и загрузка %1…</translation>
    </message>
    <message>
        <source>Folder the tills sync through</source>
        <translation>Папка, через которую синхронизируются кассы</translation>
    </message>
    <message>
        <source>This till syncs through %1.</source>
        <translation>Эта касса синхронизируется через %1.</translation>
    </message>
    <message>
        <source>Folder sync is off.</source>
        <translation>Синхронизация через папку выключена.</translation>
    </message>
    <message numerus="yes">
        <source>Folder sync runs every %n minute(s).</source>
        <translation>
            <numerusform>Синхронизация через папку — каждую %n минуту.</numerusform>
            <numerusform>Синхронизация через папку — каждые %n минуты.</numerusform>
            <numerusform>Синхронизация через папку — каждые %n минут.</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing with the folder…</source>
        <translation>Синхронизация с папкой…</translation>
    </message>
    <message>
        <source>Sync server address saved.</source>
        <translation>Адрес сервера синхронизации сохранён.</translation>
    </message>
    <message>
        <source>Sync server address removed.</source>
        <translation>Адрес сервера синхронизации удалён.</translation>
    </message>
    <message numerus="yes">
        <source>Sync server: sent %n event(s)</source>
        <translation>
            <numerusform>Сервер синхронизации: отправлено %n событие</numerusform>
            <numerusform>Сервер синхронизации: отправлено %n события</numerusform>
            <numerusform>Сервер синхронизации: отправлено %n событий</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>received %n event(s).</source>
        <translation>
            <numerusform>получено %n событие.</numerusform>
            <numerusform>получено %n события.</numerusform>
            <numerusform>получено %n событий.</numerusform>
        </translation>
    </message>
    <message>
        <source>Talking to the sync server…</source>
        <translation>Связь с сервером синхронизации…</translation>
    </message>
    <message>
        <source>Pairing file for till %1</source>
        <translation>Файл подключения для кассы %1</translation>
    </message>
    <message>
        <source>Pairing files (%1)</source>
        <translation>Файлы подключения (%1)</translation>
    </message>
    <message>
        <source>Pairing file for till %1 written to %2. It holds the shop&apos;s key: carry it to the new till, join there, then delete it.</source>
        <translation>Файл подключения для кассы %1 записан в %2. В нём ключ магазина: перенесите его на новую кассу, подключитесь там, затем удалите файл.</translation>
    </message>
    <message>
        <source>Writing the pairing file…</source>
        <translation>Запись файла подключения…</translation>
    </message>
    <message>
        <source>Pairing file</source>
        <translation>Файл подключения</translation>
    </message>
    <message>
        <source>Pairing files (%1);;All files (*)</source>
        <translation>Файлы подключения (%1);;Все файлы (*)</translation>
    </message>
    <message>
        <source>This is now till %1 (it was till %2): the cards it gives from now on carry the new number. The other tills learn it with this till&apos;s next news.</source>
        <translation>Теперь это касса %1 (была касса %2): карты, которые она выдаёт с этого момента, несут новый номер. Другие кассы узнают его из следующих новостей этой кассы.</translation>
    </message>
    <message>
        <source>This is now till %1 of %2. Import the other tills&apos; bundles or sync with the folder or server to get the customers.</source>
        <translation>Теперь это касса %1 магазина «%2». Загрузите пакеты других касс или синхронизируйтесь через папку или сервер, чтобы получить покупателей.</translation>
    </message>
    <message>
        <source>Joining the shop…</source>
        <translation>Подключение к магазину…</translation>
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
        <translation>Серебро</translation>
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
        <translation>Кто на кассе?</translation>
    </message>
    <message>
        <source>Type your PIN and press Enter</source>
        <translation>Введите свой PIN и нажмите Enter</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Scanning still works: a scanned card shows the customer on the left, and the sale waits for your PIN.</source>
        <translation>Сканер работает: отсканированная карта покажет клиента слева, а продажа подождёт вашего PIN.</translation>
    </message>
    <message>
        <source>Type your PIN: {min} to {max} digits.</source>
        <translation>Введите свой PIN: от {min} до {max} цифр.</translation>
    </message>
    <message>
        <source>Wrong PIN. Tries left before a 5-minute lock: {left}.</source>
        <translation>Неверный PIN. Осталось попыток до блокировки на 5 минут: {left}.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again at {time}. Scanning and lookups still work.</source>
        <translation>Слишком много неверных PIN. Попробуйте снова в {time}. Сканер и поиск работают.</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>использование: </translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>позиционные аргументы</translation>
    </message>
    <message>
        <source>options</source>
        <translation>параметры</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>показать эту справку и выйти</translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>показать версию программы и выйти</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s: ошибка: %(message)s
</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>аргумент %(argument_name)s: %(message)s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>не указаны обязательные аргументы: %s</translation>
    </message>
    <message>
        <source>one of the arguments %s is required</source>
        <translation>нужен один из аргументов %s</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>неизвестные аргументы: %s</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>недопустимый выбор: %(value)r (выберите из %(choices)s)</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>недопустимое значение %(type)s: %(value)r</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>ожидался один аргумент</translation>
    </message>
    <message>
        <source>expected at most one argument</source>
        <translation>ожидалось не больше одного аргумента</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>ожидался хотя бы один аргумент</translation>
    </message>
    <message>
        <source>expected %s argument</source>
        <translation>ожидалось аргументов: %s</translation>
    </message>
    <message>
        <source>expected %s arguments</source>
        <translation>ожидалось аргументов: %s</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>нельзя вместе с аргументом %s</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>лишнее значение аргумента %r пропущено</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>неоднозначный параметр: %(option)s подходит к %(matches)s</translation>
    </message>
    <message>
        <source>unexpected option string: %s</source>
        <translation>неожиданный параметр: %s</translation>
    </message>
    <message>
        <source>can&apos;t open &apos;%(filename)s&apos;: %(error)s</source>
        <translation>не удаётся открыть &apos;%(filename)s&apos;: %(error)s</translation>
    </message>
    <message>
        <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
        <translation>неизвестная команда %(parser_name)r (варианты: %(choices)s)</translation>
    </message>
</context>
</TS>
